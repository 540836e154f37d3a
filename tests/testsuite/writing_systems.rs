//! Sites in any script (issue 17): tags in Arabic get a page and working links, and the
//! search page folds what a reader types exactly as the index was folded.

use std::path::Path;
use std::process::Command;

use briefwerk::text::fold;

/// Words a reader may type, in Latin with accents, Arabic with and without harakat, hamza,
/// madda, alef wasla, taa marbuta, alef maqsura and tatweel, and other scripts with case.
const WORDS: &[&str] = &[
    "Ménaka",
    "ÉTÉ",
    "Ségou, Tombouctou",
    "Jama’at Nusrat al-Islam",
    "Straße",
    "İstanbul",
    "ΟΔΥΣΣΕΥΣ",
    "Ꭰ",
    "أَحْمَد",
    "مُحَمَّد",
    "هٰذا",
    "أ إ آ ٱ",
    "مؤتمر",
    "هيئة",
    "الساحلية",
    "موسى",
    "الســـاحل",
    "إمارة الصحراء الكُبرى",
    "جماعة نصرة الإسلام والمسلمين",
    "ﻻ",
    "١٢٣ 123",
    "Привет",
    "Ǆemal",
];

/// Runs search.js's `fold` in Node over `words` (one per line) and returns its output.
fn fold_in_node(words: &[&str]) -> Vec<String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js");
    let code = "const { fold } = require(process.argv[1]);\
        const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));\
        process.stdout.write(JSON.stringify(words.map(fold)));";
    let mut child = Command::new("node")
        .arg("-e")
        .arg(code)
        .arg(&script)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "this test runs search.js in Node and `node` could not be started ({e}); \
                 install Node.js 20 (apt-get install nodejs) — .ci/run installs it"
            )
        });
    let input = serde_json::to_string(words).unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), input.as_bytes()).unwrap();
    drop(child.stdin.take());
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node failed on search.js: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn search_js_folds_queries_as_text_fold_folds_the_index() {
    let js = fold_in_node(WORDS);
    assert_eq!(js.len(), WORDS.len());
    for (word, js) in WORDS.iter().zip(&js) {
        assert_eq!(*js, fold(word), "search.js and text::fold disagree on {word:?}");
    }
    // The comparison is not vacuous: the Arabic forms a reader types interchangeably meet.
    assert_eq!(js[11], "ا ا ا ا");
    assert_eq!(js[17], fold("امارة الصحراء الكبري"));
}
