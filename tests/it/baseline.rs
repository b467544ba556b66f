//! The baseline ledger on a legacy codebase, end to end: `baseline
//! create`, then what `metrics` and the hook make of edits that are not
//! about the recorded functions, of worsened and new functions, and of
//! improvements (`baseline check`, `baseline update`).

use serde_json::Value;

use crate::common::{antipasta, commit, stderr, stdout, Repo};

/// A legacy module: `Parser.parse` is over the cyclomatic (10) and
/// cognitive (15) limits, `Parser.tokens` over the cognitive one.
const LEGACY: &str = "\
class Parser:
    def parse(self, a, b, c):
        if a:
            if b:
                if c:
                    for x in a:
                        if x and b or c:
                            while x:
                                if x > 1:
                                    x -= 1
                                elif x:
                                    break
        return a

    def tokens(self, items):
        out = []
        for i in items:
            if i:
                for j in i:
                    if j:
                        if j > 2 and j < 99:
                            while j:
                                j -= 1
                                out.append(j)
        return out


def helper():
    return 1
";

fn metrics(repo: &Repo, args: &[&str]) -> (Option<i32>, String) {
    let mut all = vec!["metrics", "--no-cache"];
    all.extend_from_slice(args);
    let out = antipasta(repo.path(), &all);
    (out.status.code(), stdout(&out) + &stderr(&out))
}

fn ledger(repo: &Repo) -> Value {
    let text = std::fs::read_to_string(repo.path().join(".antipasta-baseline.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn legacy_repo() -> Repo {
    let repo = Repo::new();
    repo.write("pkg/legacy.py", LEGACY);
    repo.commit_all("legacy");
    repo
}

#[test]
fn a_legacy_tree_passes_once_baselined_and_fails_on_what_gets_worse() {
    let repo = legacy_repo();
    let (code, text) = metrics(&repo, &[]);
    assert_eq!(code, Some(1), "{text}");
    let out = antipasta(repo.path(), &["baseline", "create"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("3 violations in 1 file"),
        "{}",
        stdout(&out)
    );
    let entries = ledger(&repo)["entries"].as_array().unwrap().clone();
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e["path"] == "pkg/legacy.py"));

    let (code, text) = metrics(&repo, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("0 violations, 3 baselined"), "{text}");
    // --no-baseline shows them all again.
    assert_eq!(metrics(&repo, &["--no-baseline"]).0, Some(1));

    // Worsen one recorded function: only it is reported, with the recorded value.
    let worse = LEGACY.replace(
        "                                    x -= 1\n",
        "                                    x -= 1\n                                    if x:\n                                        pass\n",
    );
    repo.write("pkg/legacy.py", &worse);
    let (code, text) = metrics(&repo, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("Parser.parse: cognitive_complexity 39 > 15 (baseline 31)"),
        "{text}"
    );
    assert!(
        text.contains("Parser.parse: cyclomatic_complexity 12 > 10 (baseline 11)"),
        "{text}"
    );
    assert!(!text.contains("Parser.tokens"), "{text}");
    assert!(text.contains("2 violations, 1 baselined"), "{text}");

    // A new complex function is judged normally.
    let with_new = format!(
        "{LEGACY}\n\n{}",
        LEGACY.replace("class Parser", "class Fresh")
    );
    repo.write("pkg/legacy.py", &with_new);
    let (code, text) = metrics(&repo, &[]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("Fresh.parse: cognitive_complexity 31 > 15\n"),
        "{text}"
    );
    assert!(!text.contains("Parser.parse"), "{text}");
}

#[test]
fn identity_survives_moves_renames_and_reformatting() {
    let repo = legacy_repo();
    antipasta(repo.path(), &["baseline", "create"]);
    let before = std::fs::read(repo.path().join(".antipasta-baseline.json")).unwrap();
    // git mv the file, rename the class, reformat (blank lines, comments,
    // a wrapped call) and shift everything down.
    repo.git(&["mv", "pkg/legacy.py", "pkg/parsing.py"]);
    let moved = format!(
        "# moved here\n\n\n{}",
        LEGACY
            .replace("class Parser:", "class Reader:  # renamed")
            .replace(
                "out.append(j)",
                "out.append(\n                                j\n                            )"
            )
    );
    repo.write("pkg/parsing.py", &moved);
    let (code, text) = metrics(&repo, &[]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("3 baselined"), "{text}");
    // A function moved to another file keeps its entry too.
    let (parse_only, rest) = moved.split_at(moved.find("    def tokens").unwrap());
    repo.write("pkg/parsing.py", parse_only);
    repo.write(
        "pkg/tokens.py",
        &format!(
            "class Tokens:\n{}",
            rest.replace("\n\ndef helper", "\ndef helper")
        ),
    );
    let (code, text) = metrics(&repo, &[]);
    assert_eq!(code, Some(0), "{text}");
    // No checking run writes the ledger.
    assert_eq!(
        std::fs::read(repo.path().join(".antipasta-baseline.json")).unwrap(),
        before
    );
}

#[test]
fn an_improvement_makes_check_fail_and_update_lowers_exactly_that_entry() {
    let repo = legacy_repo();
    antipasta(repo.path(), &["baseline", "create"]);
    let check = antipasta(repo.path(), &["baseline", "check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("is tight: 3 entries"),
        "{}",
        stdout(&check)
    );

    // tokens loses a level of nesting: better (22 → 16), still over 15.
    let better = LEGACY.replace(
        "                    if j:\n                        if j > 2 and j < 99:\n                            while j:\n                                j -= 1\n                                out.append(j)\n",
        "                    if j > 2 and j < 99:\n                        while j:\n                            j -= 1\n                            out.append(j)\n",
    );
    assert_ne!(better, LEGACY);
    repo.write("pkg/legacy.py", &better);
    let (code, text) = metrics(&repo, &["--format", "json", "--no-baseline"]);
    assert_eq!(code, Some(1), "{text}");
    let check = antipasta(repo.path(), &["baseline", "check"]);
    assert_eq!(check.status.code(), Some(1), "{}", stdout(&check));
    assert!(
        stdout(&check).contains("would lower: pkg/legacy.py: Parser.tokens cognitive_complexity"),
        "{}",
        stdout(&check)
    );
    let before = ledger(&repo);
    let update = antipasta(repo.path(), &["baseline", "update"]);
    assert_eq!(update.status.code(), Some(0), "{}", stderr(&update));
    let after = ledger(&repo);
    let entries = |v: &Value| v["entries"].as_array().unwrap().clone();
    let (b, a) = (entries(&before), entries(&after));
    assert_eq!(a.len(), b.len());
    let changed: Vec<(&Value, &Value)> = b.iter().zip(&a).filter(|(x, y)| x != y).collect();
    assert_eq!(changed.len(), 1, "exactly one entry changed: {changed:?}");
    let (old, new) = changed[0];
    assert_eq!(new["function"], "Parser.tokens");
    assert!(new["value"].as_f64().unwrap() < old["value"].as_f64().unwrap());
    assert_eq!(
        antipasta(repo.path(), &["baseline", "check"]).status.code(),
        Some(0)
    );

    // Fixing a function drops its entries; a worse value is never recorded.
    repo.write(
        "pkg/legacy.py",
        "class Parser:\n    def parse(self):\n        return 1\n",
    );
    let update = antipasta(repo.path(), &["baseline", "update"]);
    assert!(
        stdout(&update).contains("dropped: pkg/legacy.py: Parser.parse"),
        "{}",
        stdout(&update)
    );
    assert_eq!(entries(&ledger(&repo)).len(), 0);
    repo.write("pkg/legacy.py", LEGACY);
    antipasta(repo.path(), &["baseline", "update"]);
    assert_eq!(entries(&ledger(&repo)).len(), 0, "update never adds");
    assert_eq!(metrics(&repo, &[]).0, Some(1));
}

#[test]
fn the_hook_applies_the_ledger_and_never_writes_it() {
    let repo = legacy_repo();
    antipasta(repo.path(), &["baseline", "create"]);
    repo.commit_all("baseline");
    let ledger_path = repo.path().join(".antipasta-baseline.json");
    let before = std::fs::read(&ledger_path).unwrap();
    let out = antipasta(repo.path(), &["hook", "install"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // `--all` judges the untouched recorded functions too: the ledger
    // accepts them.
    repo.write("pkg/legacy.py", &LEGACY.replace("return 1", "return 2"));
    repo.git(&["add", "pkg/legacy.py"]);
    let all = repo.check(&["--all", "-v"]);
    assert_eq!(all.status.code(), Some(0), "{}", stdout(&all));
    assert!(stdout(&all).contains("baselined"), "{}", stdout(&all));
    let blocked = repo.check(&["--all", "--no-baseline"]);
    assert_eq!(blocked.status.code(), Some(1));
    let out = commit(&repo, &["-m", "edit helper"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read(&ledger_path).unwrap(), before);
    assert!(repo.git(&["status", "--porcelain"]).is_empty());
}

#[test]
fn a_named_ledger_must_exist_and_parse() {
    let repo = legacy_repo();
    let (code, text) = metrics(&repo, &["--baseline", "nope.json"]);
    assert_eq!(code, Some(2));
    assert!(
        text.contains(
            "does not exist; create it with `antipasta baseline create --baseline nope.json`"
        ),
        "the hint writes the file named: {text}"
    );
    repo.write(
        ".antipasta-baseline.json",
        "{\"version\": 1, \"entries\": [",
    );
    let (code, text) = metrics(&repo, &[]);
    assert_eq!(code, Some(2));
    assert!(text.contains("is not a valid ledger"), "{text}");
    // `baseline = "..."` in the configuration.
    repo.write(".antipasta.toml", "baseline = \"ci/ledger.json\"\n");
    std::fs::create_dir_all(repo.path().join("ci")).unwrap();
    let out = antipasta(repo.path(), &["baseline", "create"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(repo.path().join("ci/ledger.json")).unwrap();
    // Paths are relative to the project root, wherever the ledger is.
    assert!(text.contains("\"path\":\"pkg/legacy.py\""), "{text}");
    assert_eq!(metrics(&repo, &[]).0, Some(0));
}
