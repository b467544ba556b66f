//! Finding and reading the config file: discovery, `load`, `validate`.
//!
//! Input: a start directory and an optional explicit path. Output: [`Loaded`].
//! This is the only part of `config` that touches the filesystem besides
//! migration; the readers it calls are pure functions over text.

use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use super::{legacy, schema, Settings};

/// Which kind of file the settings came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ConfigFormat {
    /// `.antipasta.toml` (or any `--config *.toml`).
    Toml,
    /// The `[tool.antipasta]` table of a `pyproject.toml`.
    Pyproject,
    /// The Python antipasta's `.antipasta.yaml` / `.antipasta.yml`.
    LegacyYaml,
}

impl ConfigFormat {
    /// Chooses the format of an explicitly named file from its name.
    pub(crate) fn from_path(path: &Path) -> anyhow::Result<ConfigFormat> {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        match (name.as_deref(), ext.as_deref()) {
            (Some("pyproject.toml"), _) => Ok(ConfigFormat::Pyproject),
            (_, Some("yaml" | "yml")) => Ok(ConfigFormat::LegacyYaml),
            (_, Some("toml")) => Ok(ConfigFormat::Toml),
            _ => bail!(
                "cannot tell the format of config file {}: expected a name ending in \
                 .toml, .yaml or .yml (or pyproject.toml)",
                path.display()
            ),
        }
    }

    pub(crate) fn describe(self) -> &'static str {
        match self {
            ConfigFormat::Toml => "antipasta TOML",
            ConfigFormat::Pyproject => "[tool.antipasta] in pyproject.toml",
            ConfigFormat::LegacyYaml => "legacy Python-antipasta YAML",
        }
    }
}

/// The file the settings were read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ConfigFile {
    pub(crate) path: PathBuf,
    pub(crate) format: ConfigFormat,
}

/// The result of [`load`].
#[derive(Clone, Debug)]
pub(crate) struct Loaded {
    pub(crate) settings: Settings,
    /// `None` when no file was found and the defaults apply.
    pub(crate) file: Option<ConfigFile>,
    /// Directory that relative patterns are matched against: the config
    /// file's directory, or the start directory when there is no file.
    pub(crate) root: PathBuf,
    /// Things that are not errors but that the user should hear about
    /// (parts of a legacy YAML file this tool does not use).
    pub(crate) warnings: Vec<String>,
}

pub(super) const TOML_NAME: &str = ".antipasta.toml";
const PYPROJECT_NAME: &str = "pyproject.toml";
const YAML_NAMES: [&str; 2] = [".antipasta.yaml", ".antipasta.yml"];

/// Finds and reads the configuration (see the module doc for the order).
pub(crate) fn load(start_dir: &Path, explicit: Option<&Path>) -> anyhow::Result<Loaded> {
    let file = match explicit {
        Some(path) => {
            if path.is_dir() {
                bail!(
                    "config path {} is a directory; name the file, e.g. {}",
                    path.display(),
                    path.join(TOML_NAME).display()
                );
            }
            if !path.is_file() {
                bail!("config file {} does not exist", path.display());
            }
            Some(ConfigFile {
                path: path.to_path_buf(),
                format: ConfigFormat::from_path(path)?,
            })
        }
        None => discover(start_dir)?,
    };
    let Some(file) = file else {
        let root = start_dir
            .canonicalize()
            .with_context(|| format!("resolving start directory {}", start_dir.display()))?;
        return Ok(Loaded {
            settings: Settings::default(),
            file: None,
            root,
            warnings: Vec::new(),
        });
    };
    let text = std::fs::read_to_string(&file.path)
        .with_context(|| format!("reading config file {}", file.path.display()))?;
    let (settings, warnings) = match file.format {
        ConfigFormat::Toml => (schema::parse_toml(&text, &file.path)?, Vec::new()),
        ConfigFormat::Pyproject => match schema::parse_pyproject(&text, &file.path)? {
            Some(settings) => (settings, Vec::new()),
            None => bail!(
                "{} has no [tool.antipasta] table; add one or point --config elsewhere",
                file.path.display()
            ),
        },
        ConfigFormat::LegacyYaml => {
            let (settings, mut warnings) = legacy::parse_yaml(&text, &file.path)?;
            if !warnings.is_empty() {
                warnings.push(format!(
                    "`antipasta config migrate` turns {} into .antipasta.toml with the same \
                     meaning, and these warnings go away",
                    file.path.file_name().map_or_else(
                        || file.path.display().to_string(),
                        |n| n.to_string_lossy().into_owned()
                    )
                ));
            }
            (settings, warnings)
        }
    };
    let dir = file.path.parent().unwrap_or(Path::new("."));
    // An explicit bare file name has an empty parent: the current directory.
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let root = dir
        .canonicalize()
        .with_context(|| format!("resolving directory of {}", file.path.display()))?;
    Ok(Loaded {
        settings,
        file: Some(file),
        root,
        warnings,
    })
}

/// Walks up from `start_dir` to the filesystem root; the first directory with
/// a config file wins.
pub(crate) fn discover(start_dir: &Path) -> anyhow::Result<Option<ConfigFile>> {
    let start = start_dir
        .canonicalize()
        .with_context(|| format!("resolving start directory {}", start_dir.display()))?;
    for dir in start.ancestors() {
        let toml_path = dir.join(TOML_NAME);
        if toml_path.is_file() {
            return Ok(Some(ConfigFile {
                path: toml_path,
                format: ConfigFormat::Toml,
            }));
        }
        let pyproject = dir.join(PYPROJECT_NAME);
        if pyproject.is_file() {
            let text = std::fs::read_to_string(&pyproject)
                .with_context(|| format!("reading {}", pyproject.display()))?;
            if schema::has_antipasta_table(&text, &pyproject)? {
                return Ok(Some(ConfigFile {
                    path: pyproject,
                    format: ConfigFormat::Pyproject,
                }));
            }
        }
        for name in YAML_NAMES {
            let yaml = dir.join(name);
            if yaml.is_file() {
                return Ok(Some(ConfigFile {
                    path: yaml,
                    format: ConfigFormat::LegacyYaml,
                }));
            }
        }
    }
    Ok(None)
}

/// `antipasta config validate`: loads the configuration and describes it.
pub(crate) fn validate(start_dir: &Path, explicit: Option<&Path>) -> anyhow::Result<String> {
    let loaded = load(start_dir, explicit)?;
    let mut out = String::new();
    match &loaded.file {
        Some(f) => out.push_str(&format!(
            "config: {} ({})\n",
            f.path.display(),
            f.format.describe()
        )),
        None => out.push_str("config: none found; using the built-in defaults\n"),
    }
    out.push_str(&format!("project root: {}\n", loaded.root.display()));
    let s = &loaded.settings;
    let enabled = s.rules.iter().filter(|r| r.enabled).count();
    out.push_str(&format!(
        "rules: {enabled} enabled, {} disabled; overrides: {}; ignore patterns: {}\n",
        s.rules.len() - enabled,
        s.overrides.len(),
        s.ignore_patterns.patterns().len()
    ));
    for w in &loaded.warnings {
        out.push_str(&format!("warning: {w}\n"));
    }
    if loaded
        .file
        .as_ref()
        .is_some_and(|f| f.format == ConfigFormat::LegacyYaml)
    {
        for note in legacy::scope_notes(s) {
            out.push_str(&format!("note: {note}\n"));
        }
    }
    out.push_str("configuration is valid\n");
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::ModifiedPolicy;
    use super::*;
    use crate::config::diagnostic::ConfigError;
    use crate::metrics::MetricKind;

    fn write(path: &Path, text: &str) {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).unwrap();
        }
        fs::write(path, text).unwrap();
    }

    fn threshold(s: &Settings, metric: MetricKind) -> f64 {
        s.rules
            .iter()
            .find(|r| r.metric == metric)
            .unwrap()
            .threshold
    }

    #[test]
    fn no_config_file_gives_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let loaded = load(dir.path(), None).unwrap();
        assert_eq!(loaded.file, None);
        assert_eq!(loaded.settings, Settings::default());
        assert_eq!(loaded.root, dir.path().canonicalize().unwrap());
    }

    #[test]
    fn each_form_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let cases = [
            (
                ".antipasta.toml",
                "[thresholds]\ncyclomatic_complexity = 11\n",
                ConfigFormat::Toml,
            ),
            (
                "pyproject.toml",
                "[tool.antipasta.thresholds]\ncyclomatic_complexity = 11\n",
                ConfigFormat::Pyproject,
            ),
            (
                ".antipasta.yaml",
                "defaults:\n  max_cyclomatic_complexity: 11\n",
                ConfigFormat::LegacyYaml,
            ),
            (
                ".antipasta.yml",
                "defaults:\n  max_cyclomatic_complexity: 11\n",
                ConfigFormat::LegacyYaml,
            ),
        ];
        for (name, text, format) in cases {
            let project = root.join(name.trim_start_matches('.'));
            write(&project.join(name), text);
            let loaded = load(&project, None).unwrap();
            let file = loaded.file.unwrap();
            assert_eq!((file.path, file.format), (project.join(name), format));
            assert_eq!(loaded.root, project);
            assert_eq!(
                threshold(&loaded.settings, MetricKind::CyclomaticComplexity),
                11.0
            );
        }
    }

    #[test]
    fn toml_wins_over_pyproject_and_yaml_in_one_directory() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(
            &root.join(".antipasta.yaml"),
            "defaults:\n  max_cyclomatic_complexity: 3\n",
        );
        write(
            &root.join("pyproject.toml"),
            "[tool.antipasta]\nmodified = \"strict\"\n",
        );
        assert_eq!(
            discover(&root).unwrap().unwrap().format,
            ConfigFormat::Pyproject
        );
        write(&root.join(".antipasta.toml"), "");
        assert_eq!(discover(&root).unwrap().unwrap().format, ConfigFormat::Toml);
    }

    #[test]
    fn pyproject_without_table_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root.join(".antipasta.toml"), "modified = \"strict\"\n");
        write(
            &root.join("pkg/pyproject.toml"),
            "[project]\nname = \"pkg\"\n[tool.ruff]\n",
        );
        write(&root.join("pkg/.antipasta.yml"), "use_gitignore: false\n");
        // Same directory: the pyproject is skipped, the YAML beside it counts.
        let file = discover(&root.join("pkg")).unwrap().unwrap();
        assert_eq!(file.format, ConfigFormat::LegacyYaml);
        fs::remove_file(root.join("pkg/.antipasta.yml")).unwrap();
        // Nothing else in pkg: the walk goes on to the parent.
        let loaded = load(&root.join("pkg"), None).unwrap();
        assert_eq!(loaded.file.unwrap().path, root.join(".antipasta.toml"));
        assert_eq!(loaded.root, root);
        assert_eq!(loaded.settings.modified, ModifiedPolicy::Strict);
    }

    #[test]
    fn walks_up_to_the_nearest_config() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(
            &root.join(".antipasta.toml"),
            "[thresholds]\ncognitive_complexity = 1\n",
        );
        write(
            &root.join("a/.antipasta.toml"),
            "[thresholds]\ncognitive_complexity = 2\n",
        );
        fs::create_dir_all(root.join("a/b/c")).unwrap();
        let loaded = load(&root.join("a/b/c"), None).unwrap();
        assert_eq!(loaded.root, root.join("a"));
        assert_eq!(
            threshold(&loaded.settings, MetricKind::CognitiveComplexity),
            2.0
        );
        let loaded = load(&root, None).unwrap();
        assert_eq!(
            threshold(&loaded.settings, MetricKind::CognitiveComplexity),
            1.0
        );
    }

    #[test]
    fn explicit_path_overrides_discovery() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(
            &root.join(".antipasta.toml"),
            "[thresholds]\ncognitive_complexity = 1\n",
        );
        write(
            &root.join("conf/ci.toml"),
            "[thresholds]\ncognitive_complexity = 7\n",
        );
        write(
            &root.join("conf/old.yml"),
            "defaults:\n  max_cognitive_complexity: 8\n",
        );
        let loaded = load(&root, Some(&root.join("conf/ci.toml"))).unwrap();
        assert_eq!(
            threshold(&loaded.settings, MetricKind::CognitiveComplexity),
            7.0
        );
        assert_eq!(loaded.root, root.join("conf"));
        let loaded = load(&root, Some(&root.join("conf/old.yml"))).unwrap();
        assert_eq!(loaded.file.unwrap().format, ConfigFormat::LegacyYaml);
        assert_eq!(
            threshold(&loaded.settings, MetricKind::CognitiveComplexity),
            8.0
        );
    }

    #[test]
    fn explicit_path_errors() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let e = load(&root, Some(&root.join("missing.toml"))).unwrap_err();
        assert!(e.to_string().contains("does not exist"), "{e}");
        write(&root.join("pyproject.toml"), "[project]\nname = \"x\"\n");
        let e = load(&root, Some(&root.join("pyproject.toml"))).unwrap_err();
        assert!(
            e.to_string().contains("has no [tool.antipasta] table"),
            "{e}"
        );
        let e = load(&root, Some(&root)).unwrap_err();
        assert!(e.to_string().contains("is a directory"), "{e}");
        write(&root.join("antipasta.ini"), "");
        let e = load(&root, Some(&root.join("antipasta.ini"))).unwrap_err();
        assert!(e.to_string().contains("cannot tell the format"), "{e}");
    }

    #[test]
    fn load_error_names_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(
            &root.join(".antipasta.toml"),
            "[thresholds]\nhalstead_volum = 3\n",
        );
        let e = load(&root, None).unwrap_err();
        let config_error = e.downcast_ref::<ConfigError>().expect("a ConfigError");
        assert_eq!((config_error.line, config_error.column), (2, 1));
        let text = e.to_string();
        assert!(
            text.starts_with(&format!(
                "{}:2:1: unknown metric `halstead_volum`",
                root.join(".antipasta.toml").display()
            )),
            "{text}"
        );
        assert!(
            text.ends_with("= hint: did you mean `halstead_volume`?"),
            "{text}"
        );
    }

    #[test]
    fn broken_pyproject_is_an_error_during_discovery() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root.join("pyproject.toml"), "[project\n");
        let e = load(&root, None).unwrap_err();
        assert!(e.to_string().contains("pyproject.toml:1:"), "{e}");
    }

    #[test]
    fn validate_reports_file_rules_and_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        write(&root.join(".antipasta.yaml"), "profile: relaxed\n");
        let report = validate(&root, None).unwrap();
        assert_eq!(
            report,
            format!(
                "config: {} (legacy Python-antipasta YAML)\nproject root: {}\n\
                 rules: 6 enabled, 0 disabled; overrides: 0; ignore patterns: 0\n\
                 warning: `profile` is a Python-antipasta feature this tool does not have; \
                 ignored\nwarning: `antipasta config migrate` turns .antipasta.yaml into \
                 .antipasta.toml with the same meaning, and these warnings go away\n\
                 note: halstead_volume, halstead_difficulty, halstead_effort are judged per \
                 file, not per function, as the Python antipasta judges Halstead metrics; \
                 `config migrate` keeps that (scope = \"file\"); write scope = \"function\" \
                 in the migrated rules to judge each function\n\
                 configuration is valid\n",
                root.join(".antipasta.yaml").display(),
                root.display()
            )
        );
    }
}
