//! YAML written by `yaml::emit` reads back as the same tree (the lab's manifests, saved scenarios
//! and share links rely on it): a property over random trees whose strings are the ones YAML
//! makes hard — words YAML would read as booleans, numbers or nulls, indicators, comments,
//! quotes, leading and trailing spaces, line breaks and non-ASCII text.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test may stop at the first surprise

use proptest::prelude::*;
use rollout_sim::yaml::{emit::to_yaml, parse};
use serde_json::{Map, Value};

fn tricky_string() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => tricky_word(),
        1 => (tricky_word(), tricky_word()).prop_map(|(a, b)| format!("{a}\n{b}")),
        1 => (tricky_word(), 1..3usize).prop_map(|(a, n)| format!("{a}{}", "\n".repeat(n))),
    ]
}

fn tricky_word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "",
            " ",
            "true",
            "false",
            "yes",
            "no",
            "on",
            "off",
            "null",
            "~",
            "Null",
            "0",
            "1",
            "-1",
            "1.5",
            "1e3",
            "0x1F",
            "007",
            "25%",
            "y",
            "N",
            "0644",
            "0b101",
            "0o17",
            "1_000",
            "+5",
            ".5",
            "1.",
            "<<",
            ".inf",
            "-",
            "-c",
            "--grace-period=0",
            "-1x",
            "- item",
            "a: b",
            "a:b",
            "key:",
            "# not a comment",
            "a #b",
            "'quoted'",
            "\"double\"",
            "it's",
            "[x]",
            "{y}",
            "&anchor",
            "*alias",
            "!tag",
            "|",
            ">",
            "@at",
            "`tick`",
            "%",
            "?",
            ",",
            "x,y",
            "myapp:1",
            "kubectl set image deployment/myapp app=myapp:2",
            " leading",
            "trailing ",
            "tab\there",
            "two\nlines",
            "ends with newline\n",
            "\nstarts with one",
            "line\n\nblank",
            "é ü 日本",
            "back\\slash",
            "---",
            "...",
        ])
        .prop_map(String::from),
        "[a-zA-Z0-9 :#'\"\\-_./%]{0,12}",
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(|n| Value::from(i64::from(n))),
        (-10_000i64..10_000, 1u32..4).prop_map(|(n, d)| {
            // Decimals as people write them (12.5, -0.25), which print and read back exactly.
            let f = n as f64 / 10f64.powi(d as i32);
            serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
        }),
        tricky_string().prop_map(Value::String),
    ]
}

fn tree() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec(
                (
                    "[a-z][a-zA-Z0-9.\\-/]{0,10}|[0-9]{1,3}|true|null|a b",
                    inner
                ),
                0..5
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Trees as the writer prints them: a document is a mapping at the top, as manifests are.
fn document() -> impl Strategy<Value = Value> {
    prop::collection::vec(("[a-z][a-zA-Z]{0,8}", tree()), 1..5)
        .prop_map(|entries| Value::Object(entries.into_iter().collect()))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn what_is_written_reads_back(doc in document()) {
        let text = to_yaml(&doc);
        let (back, _) = parse(&text, 1).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&back, &doc, "written as:\n{}", text);
    }
}
