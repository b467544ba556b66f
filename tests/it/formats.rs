//! The CI formats (SARIF, GitHub, GitLab, JUnit, CSV, JSON Lines) and
//! `--output`, each read back by a real parser and compared with the JSON
//! report of the same run: a temporary repository with violations, a file
//! that does not parse, and a path with a space and a non-ASCII character.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{antipasta, stderr, stdout, Repo, COMPLEX, NESTED, SIMPLE};

const ODD_PATH: &str = "my dir/caf\u{e9}.py";

/// A committed repository: a simple file, a complex function under an odd
/// path, a class method over the limit, and a file with a syntax error.
fn repo() -> Repo {
    let repo = Repo::new();
    repo.write("simple.py", SIMPLE);
    repo.write(ODD_PATH, COMPLEX);
    repo.write(
        "pkg/model.py",
        &format!(
            "class Model:\n{}",
            indent(NESTED.replace("(a,", "(self, a,").as_str())
        ),
    );
    repo.write("broken.py", "def broken(:\n    return 1\n");
    repo.commit_all("init");
    repo
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

fn json(repo: &Repo, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&stdout(&antipasta(repo.path(), &all))).unwrap()
}

/// `metrics` in `format`, with its exit code, which must be the text
/// report's.
fn metrics_in(repo: &Repo, format: &str) -> String {
    let text = antipasta(repo.path(), &["metrics"]);
    let out = antipasta(repo.path(), &["metrics", "--format", format]);
    assert_eq!(out.status.code(), text.status.code(), "{format}: exit code");
    assert_eq!(out.status.code(), Some(2), "the syntax error makes it 2");
    stdout(&out)
}

/// Stages a worse version of the odd-path function and a new complex file,
/// for the gate.
fn stage_changes(repo: &Repo) {
    let worse = COMPLEX.replace(
        "    return 0\n",
        "    if a or b:\n        return 2\n    return 0\n",
    );
    repo.write(ODD_PATH, &worse);
    repo.write("new.py", COMPLEX);
    repo.git(&["add", "-A"]);
}

fn sarif_schema() -> jsonschema::Validator {
    let text = include_str!("../schemas/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(text).unwrap();
    jsonschema::validator_for(&schema).expect("the SARIF schema compiles")
}

pub(crate) fn assert_valid_sarif(document: &Value) {
    let validator = sarif_schema();
    let errors: Vec<String> = validator
        .iter_errors(document)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

/// (path, name) -> (line, end_line) of every function of a tree report.
fn tree_functions(report: &Value) -> BTreeMap<(String, String), (u64, u64)> {
    let mut map = BTreeMap::new();
    for file in report["files"].as_array().unwrap() {
        for f in file["functions"].as_array().unwrap() {
            map.insert(
                (
                    file["path"].as_str().unwrap().to_owned(),
                    f["name"].as_str().unwrap().to_owned(),
                ),
                (f["line"].as_u64().unwrap(), f["end_line"].as_u64().unwrap()),
            );
        }
    }
    map
}

fn tree_violations(report: &Value) -> Vec<(String, String, String)> {
    let mut all = Vec::new();
    for file in report["files"].as_array().unwrap() {
        for v in file["violations"].as_array().unwrap() {
            all.push((
                file["path"].as_str().unwrap().to_owned(),
                v["function"].as_str().unwrap_or("<file>").to_owned(),
                v["type"].as_str().unwrap().to_owned(),
            ));
        }
    }
    all.sort();
    all
}

#[test]
fn sarif_of_metrics_validates_and_locates_every_violation() {
    let repo = repo();
    let report = json(&repo, &["metrics"]);
    let sarif: Value = serde_json::from_str(&metrics_in(&repo, "sarif")).unwrap();
    assert_valid_sarif(&sarif);
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "antipasta");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    let rules = driver["rules"].as_array().unwrap();
    let rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(
        rule_ids.contains(&"cognitive_complexity") && rule_ids.contains(&"maintainability_index")
    );
    let cognitive = rules
        .iter()
        .find(|r| r["id"] == "cognitive_complexity")
        .unwrap();
    assert_eq!(cognitive["properties"]["defaultThreshold"], 15.0);
    assert!(cognitive["helpUri"]
        .as_str()
        .unwrap()
        .contains("docs/metrics.md"));

    let functions = tree_functions(&report);
    let mut seen = Vec::new();
    for result in run["results"].as_array().unwrap() {
        let rule = result["ruleId"].as_str().unwrap();
        assert_eq!(
            rules[result["ruleIndex"].as_u64().unwrap() as usize]["id"],
            rule
        );
        assert_eq!(result["level"], "error");
        let location = &result["locations"][0];
        let physical = &location["physicalLocation"];
        assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
        let path = percent_decode(uri);
        let name = location["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap();
        assert_eq!(location["logicalLocations"][0]["kind"], "function");
        let (line, end) = functions[&(path.clone(), name.to_owned())];
        assert_eq!(physical["region"]["startLine"].as_u64(), Some(line));
        assert_eq!(physical["region"]["endLine"].as_u64(), Some(end));
        let message = result["message"]["text"].as_str().unwrap();
        assert!(
            message.starts_with(&format!("{name}: {rule} ")),
            "{message}"
        );
        assert!(
            result["partialFingerprints"]["antipasta/v1"]
                .as_str()
                .unwrap()
                .len()
                >= 16
        );
        seen.push((path, name.to_owned(), rule.to_owned()));
    }
    seen.sort();
    assert_eq!(seen, tree_violations(&report));
    assert!(seen.iter().any(|(p, ..)| p == ODD_PATH), "{seen:?}");
    // The odd path is percent-encoded in the URI.
    assert!(run["results"].to_string().contains("my%20dir/caf%C3%A9.py"));
    // The file that does not parse is a tool execution notification.
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "broken.py"
    );
    assert!(notes[0]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("syntax error"));
}

fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&uri[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn sarif_of_the_gate_validates_and_shows_the_head_value() {
    let repo = repo();
    stage_changes(&repo);
    let text = repo.check(&[]);
    let out = repo.check(&["--format", "sarif"]);
    assert_eq!(out.status.code(), text.status.code());
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_valid_sarif(&sarif);
    let gate: Value = serde_json::from_str(&stdout(&repo.check(&["--format", "json"]))).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), gate["violations"].as_array().unwrap().len());
    let modified = results
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().contains('\u{2192}'))
        .expect("a worsened function says its HEAD value");
    assert_eq!(modified["properties"]["change"], "modified");
    assert!(results.iter().any(|r| r["properties"]["change"] == "added"));
}

#[test]
fn fingerprints_stay_when_the_function_moves() {
    let repo = repo();
    let first: Value = serde_json::from_str(&metrics_in(&repo, "sarif")).unwrap();
    repo.write(ODD_PATH, &format!("import os\n\n\n{COMPLEX}"));
    let moved: Value = serde_json::from_str(&metrics_in(&repo, "sarif")).unwrap();
    let pick = |doc: &Value| -> (String, u64) {
        let r = doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    == "my%20dir/caf%C3%A9.py"
            })
            .unwrap()
            .clone();
        (
            r["partialFingerprints"]["antipasta/v1"]
                .as_str()
                .unwrap()
                .to_owned(),
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap(),
        )
    };
    let (a, line_a) = pick(&first);
    let (b, line_b) = pick(&moved);
    assert_eq!(line_b, line_a + 3);
    assert_eq!(a, b);
}

#[test]
fn github_annotations_carry_file_lines_and_escaped_messages() {
    let repo = repo();
    let report = json(&repo, &["metrics"]);
    let out = metrics_in(&repo, "github");
    let text = stdout(&antipasta(repo.path(), &["metrics"]));
    let lines: Vec<&str> = out.lines().collect();
    let errors: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("::error "))
        .collect();
    let violations = tree_violations(&report);
    // One per violation, plus the file that does not parse.
    assert_eq!(errors.len(), violations.len() + 1, "{out}");
    let functions = tree_functions(&report);
    for line in &errors {
        let (props, message) = line["::error ".len()..].split_once("::").unwrap();
        let props: BTreeMap<&str, &str> = props
            .split(',')
            .map(|p| p.split_once('=').unwrap())
            .collect();
        let file = props["file"];
        if file == "broken.py" {
            assert!(!props.contains_key("line"));
            assert!(message.contains("syntax error"));
            continue;
        }
        let title = props["title"];
        let metric = title.strip_prefix("antipasta ").unwrap();
        let name = message.split(": ").next().unwrap();
        let (start, end) = functions[&(file.to_owned(), name.to_owned())];
        assert_eq!(props["line"].parse::<u64>().unwrap(), start);
        assert_eq!(props["endLine"].parse::<u64>().unwrap(), end);
        assert!(violations.contains(&(file.to_owned(), name.to_owned(), metric.to_owned())));
    }
    assert!(errors
        .iter()
        .any(|l| l.contains(&format!("file={ODD_PATH},"))));
    // The summary line is the text report's.
    assert_eq!(lines.last(), text.lines().last().as_ref());
}

#[test]
fn gitlab_code_quality_has_one_issue_per_violation_and_per_error() {
    let repo = repo();
    let report = json(&repo, &["metrics"]);
    let issues: Value = serde_json::from_str(&metrics_in(&repo, "gitlab")).unwrap();
    let issues = issues.as_array().unwrap();
    let violations = tree_violations(&report);
    assert_eq!(issues.len(), violations.len() + 1);
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len(), "fingerprints are unique");
    let functions = tree_functions(&report);
    for issue in issues {
        let path = issue["location"]["path"].as_str().unwrap();
        let begin = issue["location"]["lines"]["begin"].as_u64().unwrap();
        if path == "broken.py" {
            assert_eq!(issue["severity"], "critical");
            continue;
        }
        assert_eq!(issue["severity"], "major");
        let name = issue["description"]
            .as_str()
            .unwrap()
            .split(": ")
            .next()
            .unwrap();
        assert_eq!(functions[&(path.to_owned(), name.to_owned())].0, begin);
        let check = issue["check_name"].as_str().unwrap();
        assert!(violations.contains(&(path.to_owned(), name.to_owned(), check.to_owned())));
    }
}

#[test]
fn junit_read_back_agrees_with_the_json_report() {
    let repo = repo();
    let report = json(&repo, &["metrics"]);
    let xml = metrics_in(&repo, "junit");
    let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let attr = |n: roxmltree::Node, a: &str| n.attribute(a).unwrap().parse::<usize>().unwrap();
    let summary = &report["summary"];
    assert_eq!(
        attr(root, "failures"),
        summary["violations"].as_u64().unwrap() as usize
    );
    assert_eq!(
        attr(root, "errors"),
        summary["errors"].as_u64().unwrap() as usize
    );
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), report["files"].as_array().unwrap().len());
    let mut functions = 0;
    let mut failures = Vec::new();
    for suite in &suites {
        let cases: Vec<_> = suite
            .children()
            .filter(|n| n.has_tag_name("testcase"))
            .collect();
        assert_eq!(attr(*suite, "tests"), cases.len());
        let suite_failures: usize = cases
            .iter()
            .map(|c| c.children().filter(|n| n.has_tag_name("failure")).count())
            .sum();
        assert_eq!(attr(*suite, "failures"), suite_failures);
        for case in cases {
            let name = case.attribute("name").unwrap();
            let path = case.attribute("classname").unwrap();
            assert_eq!(path, suite.attribute("name").unwrap());
            if name != "<file>" {
                functions += 1;
            }
            for f in case.children().filter(|n| n.has_tag_name("failure")) {
                failures.push((
                    path.to_owned(),
                    name.to_owned(),
                    f.attribute("type").unwrap().to_owned(),
                ));
            }
            if path == "broken.py" && name == "<file>" {
                assert!(case.children().any(|n| n.has_tag_name("error")));
            }
        }
    }
    assert_eq!(functions, summary["functions"].as_u64().unwrap() as usize);
    failures.sort();
    assert_eq!(failures, tree_violations(&report));
    assert!(suites.iter().any(|s| s.attribute("name") == Some(ODD_PATH)));
}

#[test]
fn csv_read_back_agrees_with_the_json_report() {
    let repo = repo();
    let report = json(&repo, &["metrics"]);
    let text = metrics_in(&repo, "csv");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..4], ["path", "name", "line", "end_line"]);
    assert_eq!(header.last().unwrap(), "violations");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(
        rows.len(),
        report["summary"]["functions"].as_u64().unwrap() as usize
    );
    let mut violated = Vec::new();
    for file in report["files"].as_array().unwrap() {
        for f in file["functions"].as_array().unwrap() {
            let row = rows
                .iter()
                .find(|r| {
                    r[0] == *file["path"].as_str().unwrap() && r[1] == *f["name"].as_str().unwrap()
                })
                .expect("a row per function");
            assert_eq!(row[2].parse::<u64>().unwrap(), f["line"].as_u64().unwrap());
            for (i, column) in header.iter().enumerate().skip(4) {
                if let Some(value) = f["metrics"].get(column) {
                    let cell: f64 = row[i].parse().unwrap();
                    assert!(
                        (cell - value.as_f64().unwrap()).abs() < 1e-9,
                        "{column}: {cell} vs {value}"
                    );
                }
            }
            for metric in row[header.len() - 1].split(';').filter(|m| !m.is_empty()) {
                violated.push((row[0].to_owned(), row[1].to_owned(), metric.to_owned()));
            }
        }
    }
    violated.sort();
    let function_violations: Vec<_> = tree_violations(&report)
        .into_iter()
        .filter(|v| v.1 != "<file>")
        .collect();
    assert_eq!(violated, function_violations);
    assert!(rows.iter().any(|r| &r[0] == ODD_PATH));
}

#[test]
fn csv_of_the_gate_adds_the_change_and_the_head_values() {
    let repo = repo();
    stage_changes(&repo);
    let out = repo.check(&["--format", "csv"]);
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let modified = rows.iter().find(|r| &r[0] == ODD_PATH).unwrap();
    assert_eq!(&modified[col("change")], "modified");
    let before: f64 = modified[col("head_cognitive_complexity")].parse().unwrap();
    let after: f64 = modified[col("cognitive_complexity")].parse().unwrap();
    assert!(after > before, "{after} > {before}");
    let added = rows.iter().find(|r| &r[0] == "new.py").unwrap();
    assert_eq!(&added[col("change")], "added");
    assert_eq!(&added[col("head_cognitive_complexity")], "");
}

#[test]
fn json_lines_has_a_line_per_file_then_the_summary() {
    let repo = repo();
    let report = json(&repo, &["metrics"]);
    let out = metrics_in(&repo, "json-lines");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let files = report["files"].as_array().unwrap();
    assert_eq!(lines.len(), files.len() + 1);
    for (line, file) in lines.iter().zip(files) {
        assert_eq!(line, file);
    }
    assert_eq!(
        lines.last().unwrap()["summary"]["functions"],
        report["summary"]["functions"]
    );
    assert_eq!(
        lines.last().unwrap()["summary"]["violations"],
        report["summary"]["violations"]
    );
}

#[test]
fn output_writes_the_report_to_a_file_with_the_same_exit_code() {
    let repo = repo();
    let to_stdout = antipasta(repo.path(), &["metrics", "--format", "sarif"]);
    let out = antipasta(
        repo.path(),
        &["metrics", "--format", "sarif", "-o", "report.sarif"],
    );
    assert_eq!(out.status.code(), to_stdout.status.code());
    assert_eq!(stdout(&out), "");
    let written = std::fs::read_to_string(repo.path().join("report.sarif")).unwrap();
    assert_eq!(written, stdout(&to_stdout));
    // The gate too, with the option before the command.
    stage_changes(&repo);
    let gate = antipasta(repo.path(), &["--output", "gate.xml", "--format", "junit"]);
    assert_eq!(gate.status.code(), Some(1));
    assert!(std::fs::read_to_string(repo.path().join("gate.xml"))
        .unwrap()
        .contains("<testsuites"));
    // A place that cannot be written is an error, never a silent pass.
    let bad = antipasta(repo.path(), &["metrics", "-o", "no/such/dir/report.txt"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(crate::common::stderr(&bad).contains("writing the report to no/such/dir/report.txt"));
}

#[test]
fn the_schema_check_rejects_what_is_not_sarif() {
    // The validation above means something: a result without a message,
    // a region line of 0 and a wrong version all fail it.
    let repo = repo();
    let mut sarif: Value = serde_json::from_str(&metrics_in(&repo, "sarif")).unwrap();
    let validator = sarif_schema();
    assert!(validator.is_valid(&sarif));
    sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    assert!(!validator.is_valid(&sarif));
    let mut sarif: Value = serde_json::from_str(&metrics_in(&repo, "sarif")).unwrap();
    sarif["runs"][0]["results"][0]
        .as_object_mut()
        .unwrap()
        .remove("message");
    assert!(!validator.is_valid(&sarif));
    sarif["version"] = "2.0.0".into();
    assert!(!validator.is_valid(&sarif));
}

/// A few hundred files, some over the limits, one that does not parse.
fn sharded_tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..300 {
        let text = match i % 7 {
            0 => COMPLEX.replace("deep", &format!("deep_{i}")),
            3 => NESTED.to_string(),
            _ => SIMPLE.replace("add", &format!("add_{i}")),
        };
        crate::common::write(dir.path(), &format!("pkg{}/m{i}.py", i % 9), &text);
    }
    crate::common::write(dir.path(), "pkg0/broken.py", "def broken(:\n");
    dir
}

#[test]
fn shards_together_are_exactly_one_run() {
    let dir = sharded_tree();
    let run = |args: &[&str]| -> (Value, Option<i32>) {
        let mut all = vec!["metrics", "--no-cache", "--format", "json"];
        all.extend_from_slice(args);
        let out = antipasta(dir.path(), &all);
        (
            serde_json::from_str(&stdout(&out)).unwrap(),
            out.status.code(),
        )
    };
    let (whole, whole_code) = run(&[]);
    let whole_files = whole["files"].as_array().unwrap().clone();
    assert_eq!(whole_files.len(), 301);
    for n in 1..=3u64 {
        let mut files = Vec::new();
        let mut codes = Vec::new();
        let mut sums = [0u64; 4];
        for k in 1..=n {
            let (shard, code) = run(&["--shard", &format!("{k}/{n}")]);
            let mine = shard["files"].as_array().unwrap();
            if n > 1 {
                assert!(
                    !mine.is_empty() && mine.len() < whole_files.len(),
                    "shard {k}/{n}"
                );
            }
            for (i, key) in ["files", "functions", "violations", "errors"]
                .iter()
                .enumerate()
            {
                sums[i] += shard["summary"][key].as_u64().unwrap();
            }
            files.extend(mine.iter().cloned());
            codes.push(code.unwrap());
        }
        files.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
        // Every file in exactly one shard, with the same values and violations.
        assert_eq!(files, whole_files, "N = {n}");
        for (i, key) in ["files", "functions", "violations", "errors"]
            .iter()
            .enumerate()
        {
            assert_eq!(
                sums[i],
                whole["summary"][key].as_u64().unwrap(),
                "{key}, N = {n}"
            );
        }
        assert_eq!(codes.iter().max().copied(), whole_code);
    }
    // A file keeps its shard when another file is added.
    let shard_of = |path: &str| -> u64 {
        (1..=3)
            .find(|k| {
                let (s, _) = run(&["--shard", &format!("{k}/3")]);
                s["files"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|f| f["path"] == path)
            })
            .unwrap()
    };
    let before = shard_of("pkg1/m1.py");
    crate::common::write(dir.path(), "pkg1/new.py", SIMPLE);
    assert_eq!(shard_of("pkg1/m1.py"), before);
    for bad in ["0/3", "4/3", "3", "a/b", "1/0"] {
        let out = antipasta(dir.path(), &["metrics", "--shard", bad]);
        assert_eq!(out.status.code(), Some(2), "--shard {bad}");
        assert!(crate::common::stderr(&out).contains("K/N"), "--shard {bad}");
    }
}

/// `merge` of the shards' reports renders, in every format, the bytes a
/// single run renders, with its exit code.
#[test]
fn merged_shards_render_as_one_run() {
    let dir = sharded_tree();
    crate::common::write(dir.path(), "pkg2/binary.py", "x = 1\0\n");
    crate::common::write(
        dir.path(),
        "pkg3/exempt.py",
        &format!("# antipasta: ignore -- legacy\n{COMPLEX}"),
    );
    // What markers suppressed and what is wrong with them travels too.
    crate::common::write(
        dir.path(),
        "pkg4/marked.py",
        &format!(
            "# antipasta: ignore-file[maintainability_index] -- generated\n\
             # antipasta: ignore[cognitive_complexity, nesting] -- legacy\n{COMPLEX}\n\n\
             def small(a):  # antipasta: ignore[cyclomatic_complexity]\n    return a\n"
        ),
    );
    let formats: [&[&str]; 9] = [
        &["--format", "text"],
        &["--format", "text", "--report-ignored"],
        &["--format", "json"],
        &["--format", "json-lines"],
        &["--format", "sarif"],
        &["--format", "github"],
        &["--format", "gitlab"],
        &["--format", "junit"],
        &["--format", "csv"],
    ];
    let whole: Vec<(String, Option<i32>)> = formats
        .iter()
        .map(|f| {
            let mut args = vec!["metrics", "--no-cache"];
            args.extend_from_slice(f);
            let out = antipasta(dir.path(), &args);
            (stdout(&out), out.status.code())
        })
        .collect();
    assert!(
        whole[1].0.contains("ignored: cognitive_complexity"),
        "{}",
        whole[1].0
    );
    assert!(
        whole[0]
            .0
            .contains("stale suppression of `maintainability_index`"),
        "{}",
        whole[0].0
    );
    assert!(
        whole[0].0.contains("did you mean `nesting_depth`?"),
        "{}",
        whole[0].0
    );
    assert_eq!(whole[0].1, Some(2), "the broken file makes it exit 2");
    let reports = tempfile::tempdir().unwrap();
    for n in [1u64, 2, 3] {
        let mut names = Vec::new();
        for k in 1..=n {
            // Shards may write either JSON layout.
            let format = if k % 2 == 0 { "json-lines" } else { "json" };
            let name = reports.path().join(format!("shard-{k}-of-{n}.{format}"));
            let out = antipasta(
                dir.path(),
                &[
                    "metrics",
                    "--no-cache",
                    "--shard",
                    &format!("{k}/{n}"),
                    "--format",
                    format,
                    "-o",
                    name.to_str().unwrap(),
                ],
            );
            assert!(
                out.status.code().is_some_and(|c| c <= 2),
                "{}",
                stderr(&out)
            );
            names.push(name.to_str().unwrap().to_owned());
        }
        for (format, (expected, code)) in formats.iter().zip(&whole) {
            let mut args = vec!["merge"];
            args.extend_from_slice(format);
            args.extend(names.iter().map(String::as_str));
            let out = antipasta(dir.path(), &args);
            assert_eq!(&stdout(&out), expected, "{format:?}, N = {n}");
            assert_eq!(out.status.code(), *code, "{format:?}, N = {n}");
        }
    }
}

#[test]
fn merge_refuses_what_is_not_a_set_of_shards() {
    let dir = sharded_tree();
    let out_dir = tempfile::tempdir().unwrap();
    let path = |name: &str| out_dir.path().join(name).to_str().unwrap().to_owned();
    let metrics = |args: &[&str], file: &str| {
        let mut all = vec!["metrics", "--no-cache", "--format", "json", "-o"];
        let file = path(file);
        all.push(&file);
        all.extend_from_slice(args);
        antipasta(dir.path(), &all);
    };
    metrics(&["--shard", "1/2"], "a.json");
    metrics(&["--shard", "1/3"], "b.json");
    let merge = |files: &[&str]| {
        let mut all = vec!["merge".to_owned()];
        all.extend(files.iter().map(|f| path(f)));
        let all: Vec<&str> = all.iter().map(String::as_str).collect();
        let out = antipasta(dir.path(), &all);
        assert_eq!(out.status.code(), Some(2), "{files:?}");
        assert!(stdout(&out).is_empty(), "{files:?}: no report on an error");
        stderr(&out)
    };
    // Shards of different N overlap.
    let err = merge(&["a.json", "b.json"]);
    assert!(
        err.contains("is in both") && err.contains("a.json"),
        "{err}"
    );
    // A report cut short.
    let text = std::fs::read_to_string(path("a.json")).unwrap();
    std::fs::write(path("cut.json"), &text[..text.len() / 2]).unwrap();
    let err = merge(&["cut.json"]);
    assert!(err.contains("cut.json: not a `metrics"), "{err}");
    // One edited so that its summary no longer matches.
    let edited = text.replacen("\"violations\": ", "\"violations\": 1", 1);
    std::fs::write(path("edited.json"), edited).unwrap();
    let err = merge(&["edited.json"]);
    assert!(
        err.contains("the report is incomplete or was edited"),
        "{err}"
    );
    // A gate report.
    let repo = crate::common::Repo::new();
    repo.write("a.py", SIMPLE);
    repo.git(&["add", "a.py"]);
    let gate = repo.check(&["--format", "json"]);
    std::fs::write(path("gate.json"), stdout(&gate)).unwrap();
    let err = merge(&["gate.json"]);
    assert!(err.contains("is a `check`/`diff` report"), "{err}");
    // A file that is not there.
    let err = merge(&["missing.json"]);
    assert!(err.contains("reading the report"), "{err}");
}

#[test]
fn a_report_compacted_onto_one_line_merges_like_the_original() {
    let dir = sharded_tree();
    let out = antipasta(dir.path(), &["metrics", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert!(report["files"].as_array().unwrap().len() > 1);
    // What `jq -c` writes: the whole document on one line.
    crate::common::write(dir.path(), "one-line.json", &format!("{report}\n"));
    crate::common::write(dir.path(), "pretty.json", &stdout(&out));
    let one = antipasta(dir.path(), &["merge", "one-line.json"]);
    let pretty = antipasta(dir.path(), &["merge", "pretty.json"]);
    assert_eq!(one.status.code(), pretty.status.code(), "{}", stderr(&one));
    assert_eq!(stdout(&one), stdout(&pretty));
    assert_eq!(stderr(&one), stderr(&pretty));
}
