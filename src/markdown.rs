//! Lesson Markdown to Yew nodes: the CommonMark that lessons use (headings, paragraphs, nested
//! lists, fenced code, block quotes, GitHub tables, emphasis, strong, strikethrough, code spans,
//! links, hard breaks). There is no HTML path at all: tags in a lesson are shown as text, and links
//! keep only safe schemes, so lesson text can never inject markup or script.
use yew::virtual_dom::{VNode, VTag, VText};
use yew::Html;

#[derive(Debug, PartialEq)]
enum Block {
    Heading(usize, String),
    Code(String),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
        tight: bool,
    },
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Rule,
    Para(String),
}

#[derive(Debug, PartialEq)]
enum Inline {
    Text(String),
    Code(String),
    Em(Vec<Inline>),
    Strong(Vec<Inline>),
    Del(Vec<Inline>),
    Link(String, Vec<Inline>),
    Break,
}

pub fn render(markdown: &str) -> Html {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut root = tag(
        "div",
        blocks(&lines)
            .iter()
            .map(|b| block_node(b, false))
            .collect(),
    );
    root.add_attribute("class", "prose");
    root.into()
}

fn tag(name: &'static str, children: Vec<VNode>) -> VTag {
    let mut t = VTag::new(name);
    t.add_children(children);
    t
}

fn text(s: &str) -> VNode {
    VText::new(s.to_string()).into()
}

// ---- blocks -------------------------------------------------------------------------------

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn fence(line: &str) -> Option<&str> {
    let t = line.trim_start();
    (indent_of(line) <= 3).then_some(())?;
    ["```", "~~~"].into_iter().find(|f| t.starts_with(f))
}

fn heading(line: &str) -> Option<(usize, String)> {
    let t = line.trim_start();
    let level = t.bytes().take_while(|b| *b == b'#').count();
    let rest = &t[level..];
    ((1..=6).contains(&level) && (rest.is_empty() || rest.starts_with(' '))).then(|| {
        (
            level,
            rest.trim().trim_end_matches('#').trim_end().to_string(),
        )
    })
}

fn is_rule(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3
        && ["-", "*", "_"]
            .iter()
            .any(|c| t.chars().all(|x| x.to_string() == *c))
}

/// A list marker: (ordered start, width of marker and the space after it).
fn list_marker(line: &str) -> Option<(Option<u64>, usize)> {
    let t = line.trim_start();
    let lead = indent_of(line);
    if let Some(rest) = t.strip_prefix(['-', '*', '+']) {
        return (rest.starts_with(' ') || rest.is_empty()).then(|| (None, lead + 1 + spaces(rest)));
    }
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let rest = t.get(digits..)?.strip_prefix(['.', ')'])?;
    let n = t[..digits]
        .parse()
        .ok()
        .filter(|_| (1..=9).contains(&digits))?;
    (rest.starts_with(' ') || rest.is_empty()).then(|| (Some(n), lead + digits + 1 + spaces(rest)))
}

fn spaces(rest: &str) -> usize {
    indent_of(rest).clamp(1, 4).min(rest.len().max(1))
}

fn table_separator(line: &str) -> bool {
    let t = line.trim().trim_matches('|');
    t.contains('-')
        && t.split('|').all(|c| {
            let c = c.trim().trim_start_matches(':').trim_end_matches(':');
            !c.is_empty() && c.bytes().all(|b| b == b'-')
        })
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_string()).collect()
}

fn starts_block(line: &str) -> bool {
    fence(line).is_some()
        || heading(line).is_some()
        || line.trim_start().starts_with('>')
        || is_rule(line)
}

fn blocks(lines: &[&str]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        if line.trim().is_empty() {
            i += 1;
        } else if let Some(f) = fence(line) {
            let indent = indent_of(line);
            let mut code = Vec::new();
            i += 1;
            while i < lines.len() && !lines[i].trim_start().starts_with(f) {
                code.push(
                    lines[i]
                        .get(indent.min(indent_of(lines[i]))..)
                        .unwrap_or(""),
                );
                i += 1;
            }
            i += 1;
            out.push(Block::Code(code.join("\n")));
        } else if let Some((level, title)) = heading(line) {
            out.push(Block::Heading(level, title));
            i += 1;
        } else if is_rule(line) {
            out.push(Block::Rule);
            i += 1;
        } else if line.trim_start().starts_with('>') {
            let mut inner = Vec::new();
            while i < lines.len() && lines[i].trim_start().starts_with('>') {
                let t = lines[i].trim_start().trim_start_matches('>');
                inner.push(t.strip_prefix(' ').unwrap_or(t));
                i += 1;
            }
            out.push(Block::Quote(blocks(&inner)));
        } else if let Some((start, _)) = list_marker(line) {
            let (list, used) = list(&lines[i..], start);
            out.push(list);
            i += used;
        } else if line.contains('|') && lines.get(i + 1).is_some_and(|l| table_separator(l)) {
            let head = cells(line);
            i += 2;
            let mut rows = Vec::new();
            while i < lines.len() && lines[i].contains('|') && !lines[i].trim().is_empty() {
                rows.push(cells(lines[i]));
                i += 1;
            }
            out.push(Block::Table { head, rows });
        } else {
            let mut para = vec![line.trim_start()];
            i += 1;
            while i < lines.len()
                && !lines[i].trim().is_empty()
                && !starts_block(lines[i])
                && list_marker(lines[i]).is_none()
            {
                para.push(lines[i].trim_start());
                i += 1;
            }
            out.push(Block::Para(para.join("\n")));
        }
    }
    out
}

/// A list starting at `lines[0]`; returns it and how many lines it used.
fn list(lines: &[&str], start: Option<u64>) -> (Block, usize) {
    let indent = indent_of(lines[0]);
    let mut items: Vec<Vec<&str>> = Vec::new();
    let mut tight = true;
    let mut content_indent = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        match list_marker(line) {
            Some((s, width)) if indent_of(line) == indent && s.is_some() == start.is_some() => {
                content_indent = width;
                items.push(vec![line.get(width..).unwrap_or("")]);
                i += 1;
            }
            _ if line.trim().is_empty() => {
                // A blank line inside an item continues it only if the next line is indented.
                match lines.get(i + 1) {
                    Some(next) if indent_of(next) >= content_indent && !next.trim().is_empty() => {
                        tight = false;
                        if let Some(item) = items.last_mut() {
                            item.push("");
                        }
                        i += 1;
                    }
                    Some(next) if list_marker(next).is_some_and(|_| indent_of(next) == indent) => {
                        tight = false;
                        i += 1;
                    }
                    _ => break,
                }
            }
            _ if indent_of(line) >= content_indent => {
                if let Some(item) = items.last_mut() {
                    item.push(&line[content_indent..]);
                }
                i += 1;
            }
            // A lazy continuation of the item's paragraph.
            _ if !starts_block(line)
                && list_marker(line).is_none()
                && items
                    .last()
                    .is_some_and(|it| !it.last().is_some_and(|l| l.is_empty())) =>
            {
                if let Some(item) = items.last_mut() {
                    item.push(line.trim_start());
                }
                i += 1;
            }
            _ => break,
        }
    }
    let items = items.iter().map(|lines| blocks(lines)).collect();
    (
        Block::List {
            start,
            items,
            tight,
        },
        i,
    )
}

fn block_node(block: &Block, tight: bool) -> VNode {
    match block {
        // The page title is the h1; lesson headings start one level below it.
        Block::Heading(level, title) => {
            let name = match level {
                1 | 2 => "h2",
                3 => "h3",
                4 => "h4",
                _ => "h5",
            };
            tag(name, inline_nodes(&inlines(title))).into()
        }
        Block::Code(code) => tag("pre", vec![tag("code", vec![text(code)]).into()]).into(),
        Block::Quote(inner) => tag(
            "blockquote",
            inner.iter().map(|b| block_node(b, false)).collect(),
        )
        .into(),
        Block::Rule => VTag::new("hr").into(),
        Block::Para(p) if tight => VNode::from(
            inline_nodes(&inlines(p))
                .into_iter()
                .collect::<yew::virtual_dom::VList>(),
        ),
        Block::Para(p) => tag("p", inline_nodes(&inlines(p))).into(),
        Block::List {
            start,
            items,
            tight,
        } => {
            let mut list = tag(
                if start.is_some() { "ol" } else { "ul" },
                items
                    .iter()
                    .map(|item| {
                        tag("li", item.iter().map(|b| block_node(b, *tight)).collect()).into()
                    })
                    .collect(),
            );
            if let Some(n) = start.filter(|n| *n != 1) {
                list.add_attribute("start", n.to_string());
            }
            list.into()
        }
        Block::Table { head, rows } => {
            let row = |cells: &[String], cell: &'static str| -> VNode {
                tag(
                    "tr",
                    cells
                        .iter()
                        .map(|c| tag(cell, inline_nodes(&inlines(c))).into())
                        .collect(),
                )
                .into()
            };
            tag(
                "table",
                vec![
                    tag("thead", vec![row(head, "th")]).into(),
                    tag("tbody", rows.iter().map(|r| row(r, "td")).collect()).into(),
                ],
            )
            .into()
        }
    }
}

// ---- inlines ------------------------------------------------------------------------------

fn inlines(s: &str) -> Vec<Inline> {
    let chars: Vec<char> = s.chars().collect();
    parse_inlines(&chars)
}

fn find_closing(chars: &[char], from: usize, delim: &[char]) -> Option<usize> {
    let n = delim.len();
    (from..chars.len().saturating_sub(n - 1)).find(|&j| {
        chars[j..j + n] == *delim
            && j > from
            && !chars[j - 1].is_whitespace()
            && chars[j - 1] != '\\'
    })
}

fn parse_inlines(chars: &[char]) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut buf = String::new();
    let mut i = 0;
    let flush = |buf: &mut String, out: &mut Vec<Inline>| {
        if !buf.is_empty() {
            out.push(Inline::Text(std::mem::take(buf)));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        // Emphasis needs text right inside it; `_` also needs a word boundary outside (snake_case).
        let opens = |n: usize| chars.get(i + n).is_some_and(|c| !c.is_whitespace());
        let boundary = i == 0 || !chars[i - 1].is_alphanumeric();
        match c {
            '\\' if next == Some('\n') => {
                flush(&mut buf, &mut out);
                out.push(Inline::Break);
                i += 2;
            }
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                buf.extend(next);
                i += 2;
            }
            '\n' => {
                if buf.ends_with("  ") {
                    buf.truncate(buf.trim_end().len());
                    flush(&mut buf, &mut out);
                    out.push(Inline::Break);
                } else {
                    buf.truncate(buf.trim_end().len());
                    buf.push(' ');
                }
                i += 1;
            }
            '`' => match code_span(chars, i) {
                Some((code, end)) => {
                    flush(&mut buf, &mut out);
                    out.push(Inline::Code(code));
                    i = end;
                }
                None => {
                    let run = chars[i..].iter().take_while(|c| **c == '`').count();
                    buf.extend(&chars[i..i + run]);
                    i += run;
                }
            },
            '*' | '_' | '~' if next == Some(c) && opens(2) && (c != '_' || boundary) => {
                match find_closing(chars, i + 2, &[c, c]) {
                    Some(end) => {
                        flush(&mut buf, &mut out);
                        let inner = parse_inlines(&chars[i + 2..end]);
                        out.push(if c == '~' {
                            Inline::Del(inner)
                        } else {
                            Inline::Strong(inner)
                        });
                        i = end + 2;
                    }
                    None => {
                        buf.push(c);
                        i += 1;
                    }
                }
            }
            '*' | '_' if opens(1) && (c != '_' || boundary) => {
                match find_closing(chars, i + 1, &[c]) {
                    Some(end)
                        if c != '_' || chars.get(end + 1).is_none_or(|a| !a.is_alphanumeric()) =>
                    {
                        flush(&mut buf, &mut out);
                        out.push(Inline::Em(parse_inlines(&chars[i + 1..end])));
                        i = end + 1;
                    }
                    _ => {
                        buf.push(c);
                        i += 1;
                    }
                }
            }
            '[' | '!' if c == '[' || next == Some('[') => {
                let open = if c == '!' { i + 1 } else { i };
                match link_at(chars, open) {
                    Some((label_end, href, end)) => {
                        flush(&mut buf, &mut out);
                        let label = parse_inlines(&chars[open + 1..label_end]);
                        if c == '!' || !crate::markdown::is_safe_href(&href) {
                            // Images would be a request; unsafe links lose their target. Keep the words.
                            out.extend(label);
                        } else {
                            out.push(Inline::Link(href, label));
                        }
                        i = end;
                    }
                    None => {
                        buf.push(c);
                        i += 1;
                    }
                }
            }
            _ => {
                buf.push(c);
                i += 1;
            }
        }
    }
    flush(&mut buf, &mut out);
    out
}

/// A code span opened by the backtick run at `i`: its text (line breaks as spaces, one space
/// stripped from each side when both have one) and the index after the closing run.
fn code_span(chars: &[char], i: usize) -> Option<(String, usize)> {
    let run = chars[i..].iter().take_while(|c| **c == '`').count();
    let delim = vec!['`'; run];
    let end =
        (i + run..chars.len().saturating_sub(run - 1)).find(|&j| chars[j..j + run] == *delim)?;
    let code: String = chars[i + run..end].iter().collect();
    let code = code.replace('\n', " ");
    let trimmed = if code.starts_with(' ') && code.ends_with(' ') && code.trim() != "" {
        &code[1..code.len() - 1]
    } else {
        &code
    };
    Some((trimmed.to_string(), end + run))
}

/// `[label](href)` at `open`: (index of `]`, href, index after `)`).
fn link_at(chars: &[char], open: usize) -> Option<(usize, String, usize)> {
    let mut depth = 0;
    let mut close = None;
    for (j, c) in chars.iter().enumerate().skip(open) {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(j);
                    break;
                }
            }
            _ => {}
        }
    }
    let close = close?;
    if chars.get(close + 1) != Some(&'(') {
        return None;
    }
    let end = (close + 2..chars.len()).find(|&j| chars[j] == ')')?;
    let target: String = chars[close + 2..end].iter().collect();
    let href = target
        .split_whitespace()
        .next()
        .unwrap_or("")
        .trim_matches(['<', '>'])
        .to_string();
    Some((close, href, end + 1))
}

fn inline_nodes(items: &[Inline]) -> Vec<VNode> {
    items
        .iter()
        .map(|item| match item {
            Inline::Text(s) => text(s),
            Inline::Code(s) => tag("code", vec![text(s)]).into(),
            Inline::Em(inner) => tag("em", inline_nodes(inner)).into(),
            Inline::Strong(inner) => tag("strong", inline_nodes(inner)).into(),
            Inline::Del(inner) => tag("del", inline_nodes(inner)).into(),
            Inline::Break => VTag::new("br").into(),
            Inline::Link(href, label) => {
                let mut a = tag("a", inline_nodes(label));
                if !href.starts_with('#') && href.contains(':') {
                    a.add_attribute("rel", "noopener noreferrer");
                    a.add_attribute("target", "_blank");
                }
                a.add_attribute("href", href.clone());
                a.into()
            }
        })
        .collect()
}

/// In-page routes, relative paths and ordinary web or mail links; never `javascript:` or `data:`.
pub fn is_safe_href(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    match lower.split_once(':') {
        Some((scheme, _)) if !scheme.contains(['/', '#', '?']) => {
            matches!(scheme, "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn html_of(markdown: &'static str) -> String {
        #[yew::function_component]
        fn View(props: &ViewProps) -> Html {
            render(props.md)
        }
        #[derive(yew::Properties, PartialEq)]
        struct ViewProps {
            md: &'static str,
        }
        yew::LocalServerRenderer::<View>::with_props(ViewProps { md: markdown })
            .hydratable(false)
            .render()
            .await
    }

    #[tokio::test]
    async fn renders_what_lessons_use() {
        let cases = [
            ("# Title\n\nSome *em*, **strong**, ~~gone~~ and `code`.", "<h2>Title</h2><p>Some <em>em</em>, <strong>strong</strong>, <del>gone</del> and <code>code</code>.</p>"),
            ("- a\n- b\n  - nested\n- c", "<ul><li>a</li><li>b<ul><li>nested</li></ul></li><li>c</li></ul>"),
            ("1. one\n2. two\n\n3. three", "<ol><li><p>one</p></li><li><p>two</p></li><li><p>three</p></li></ol>"),
            ("3. from three", "<ol start=\"3\"><li>from three</li></ol>"),
            ("| h | i |\n|---|:-:|\n| `c` | d |", "<table><thead><tr><th>h</th><th>i</th></tr></thead><tbody><tr><td><code>c</code></td><td>d</td></tr></tbody></table>"),
            ("```yaml\nkey: value\n  nested: <b>\n```", "<pre><code>key: value\n  nested: &lt;b&gt;</code></pre>"),
            ("> quoted\n> more", "<blockquote><p>quoted more</p></blockquote>"),
            ("line one  \nline two\\\nthree", "<p>line one<br>line two<br>three</p>"),
            ("snake_case_name and 2 * 3 * 4, but 2*3*4", "<p>snake_case_name and 2 * 3 * 4, but 2<em>3</em>4</p>"),
            ("[the lab](#/lab?scenario=recreate) and [docs](https://kubernetes.io/docs/)", "<p><a href=\"#/lab?scenario=recreate\">the lab</a> and <a rel=\"noopener noreferrer\" target=\"_blank\" href=\"https://kubernetes.io/docs/\">docs</a></p>"),
            ("a\n\n---\n\nb", "<p>a</p><hr><p>b</p>"),
            ("\\*not em\\*", "<p>*not em*</p>"),
        ];
        for (md, want) in cases {
            let html = html_of(md).await;
            let got = html
                .trim_start_matches("<div class=\"prose\">")
                .trim_end_matches("</div>");
            assert_eq!(got, want, "{md:?}");
        }
    }

    #[tokio::test]
    async fn raw_html_and_script_links_stay_inert() {
        let html = html_of("<script>alert(1)</script>\n\nHi <b>x</b> [go](javascript:alert(1)) ![img](http://evil/x.png) [ok](#/lab)\n").await;
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("evil"), "no image request: {html}");
        assert!(html.contains(r##"href="#/lab""##), "{html}");
    }

    #[test]
    fn href_schemes() {
        for (href, safe) in [
            ("#/lab", true),
            ("other.html", true),
            ("https://kubernetes.io/docs/", true),
            ("JavaScript:alert(1)", false),
            (" data:text/html,x", false),
            ("vbscript:x", false),
            ("./a:b", true),
        ] {
            assert_eq!(is_safe_href(href), safe, "{href}");
        }
    }
}
