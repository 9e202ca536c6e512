//! Lesson Markdown to Yew nodes, read by pulldown-cmark (CommonMark with GitHub tables and
//! strikethrough: linear time, whatever the input). There is no HTML path at all: raw HTML in a
//! lesson is shown as text, images as their text, and links keep only safe schemes, so lesson
//! text can never inject markup, script or a request to another origin. Elements nest at most
//! `limits::NESTING` deep; deeper Markdown keeps its text inside the deepest element, so a page
//! never builds a tree the browser cannot hold.
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use rollout_sim::limits;
use yew::virtual_dom::{VNode, VTag, VText};
use yew::Html;

/// An element being built, or a Markdown construct that adds no element of its own (an image,
/// an unsafe link, anything nested past the limit): its children go to the element below.
struct Open {
    tag: Option<VTag>,
    /// A table head's row, closed together with the head.
    closes_parent: bool,
    /// A code block's text, put into its `<code>` when it closes.
    code: Option<String>,
}

pub fn render(markdown: &str) -> Html {
    let mut root = VTag::new("div");
    root.add_attribute("class", "prose");
    let mut stack = vec![Open {
        tag: Some(root),
        closes_parent: false,
        code: None,
    }];
    let mut in_head = false;
    // Elements open now (constructs that add none are not counted).
    let mut depth = 1usize;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                let deep = depth > limits::NESTING;
                if matches!(tag, Tag::TableHead) {
                    in_head = true;
                }
                let element = if deep { None } else { element(&tag, in_head) };
                let head = matches!(tag, Tag::TableHead) && element.is_some();
                let code = matches!(tag, Tag::CodeBlock(_)).then(String::new);
                depth += usize::from(element.is_some()) + usize::from(head);
                stack.push(Open {
                    tag: element,
                    closes_parent: false,
                    code,
                });
                if head {
                    stack.push(Open {
                        tag: Some(VTag::new("tr")),
                        closes_parent: true,
                        code: None,
                    });
                }
            }
            Event::End(end) => {
                let head = end == TagEnd::TableHead;
                let opened = head && stack.last().is_some_and(|o| o.tag.is_some());
                depth -= close(&mut stack);
                if head {
                    in_head = false;
                }
                // The rows after the head go into a body, closed with the table.
                if opened {
                    depth += 1;
                    stack.push(Open {
                        tag: Some(VTag::new("tbody")),
                        closes_parent: true,
                        code: None,
                    });
                }
            }
            Event::Text(t) => match stack.last_mut().and_then(|o| o.code.as_mut()) {
                Some(code) => code.push_str(&t),
                None => add(&mut stack, VText::new(t.to_string()).into()),
            },
            Event::Code(t) => {
                let mut code = VTag::new("code");
                code.add_child(VText::new(t.to_string()).into());
                add(&mut stack, code.into());
            }
            // Raw HTML is shown, never interpreted.
            Event::Html(t)
            | Event::InlineHtml(t)
            | Event::InlineMath(t)
            | Event::DisplayMath(t) => add(&mut stack, VText::new(t.to_string()).into()),
            Event::SoftBreak => add(&mut stack, VText::new(" ").into()),
            Event::HardBreak => add(&mut stack, VTag::new("br").into()),
            Event::Rule => add(&mut stack, VTag::new("hr").into()),
            Event::FootnoteReference(_) | Event::TaskListMarker(_) => {}
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack
        .pop()
        .and_then(|o| o.tag)
        .map_or_else(Html::default, Html::from)
}

/// The element a Markdown construct becomes, or `None` for one that adds none.
fn element(tag: &Tag<'_>, in_head: bool) -> Option<VTag> {
    let name = match tag {
        Tag::Paragraph => "p",
        // The page title is the h1; lesson headings start one level below it.
        Tag::Heading { level, .. } => match level {
            HeadingLevel::H1 | HeadingLevel::H2 => "h2",
            HeadingLevel::H3 => "h3",
            HeadingLevel::H4 => "h4",
            _ => "h5",
        },
        Tag::BlockQuote(_) => "blockquote",
        // A code block may scroll sideways: the keyboard must be able to reach it.
        Tag::CodeBlock(_) => {
            let mut pre = VTag::new("pre");
            pre.add_attribute("tabindex", "0");
            return Some(pre);
        }
        Tag::List(start) => {
            let mut list = VTag::new(if start.is_some() { "ol" } else { "ul" });
            if let Some(n) = start.filter(|n| *n != 1) {
                list.add_attribute("start", n.to_string());
            }
            return Some(list);
        }
        Tag::Item => "li",
        Tag::Table(_) => {
            let mut table = VTag::new("table");
            table.add_attribute("tabindex", "0");
            return Some(table);
        }
        Tag::TableHead => "thead",
        Tag::TableRow => "tr",
        Tag::TableCell if in_head => "th",
        Tag::TableCell => "td",
        Tag::Emphasis => "em",
        Tag::Strong => "strong",
        Tag::Strikethrough => "del",
        Tag::Link { dest_url, .. } if is_safe_href(dest_url) => {
            let mut a = VTag::new("a");
            let href = dest_url.to_string();
            if !href.starts_with('#') && href.contains(':') {
                a.add_attribute("rel", "noopener noreferrer");
                a.add_attribute("target", "_blank");
            }
            a.add_attribute("href", href);
            return Some(a);
        }
        // Images load nothing (their text is shown); HTML blocks show as text.
        _ => return None,
    };
    Some(VTag::new(name))
}

/// Adds `node` to the innermost element.
fn add(stack: &mut [Open], node: VNode) {
    if let Some(tag) = stack.iter_mut().rev().find_map(|o| o.tag.as_mut()) {
        tag.add_child(node);
    }
}

/// Closes the innermost construct (and a table head with its row); returns how many elements
/// it closed.
fn close(stack: &mut Vec<Open>) -> usize {
    let Some(open) = stack.pop() else {
        return 0;
    };
    let mut closed = 0;
    if let Some(mut tag) = open.tag {
        closed += 1;
        // A code block's text goes into its `<code>`, without the final line break.
        if let Some(text) = open.code {
            let mut code = VTag::new("code");
            code.add_child(VText::new(text.trim_end_matches('\n').to_string()).into());
            tag.add_child(code.into());
        }
        add(stack, tag.into());
    }
    if open.closes_parent {
        closed += close(stack);
    }
    closed
}

/// In-page routes, relative paths and ordinary web or mail links; never `javascript:` or `data:`.
/// The first thing in `markdown` the page would not show as written, with its byte offset:
/// raw HTML (shown as text), an image (shown as its text), a link with a scheme the page drops.
/// A lesson file is refused there, so an author finds out when opening it, not from a learner.
pub fn unsupported(markdown: &str) -> Option<(usize, String)> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    Parser::new_ext(markdown, options)
        .into_offset_iter()
        .find_map(|(event, at)| {
            let why = match event {
                Event::Html(_) | Event::InlineHtml(_) => {
                    "raw HTML is shown as text, never as markup: write it in Markdown".to_string()
                }
                Event::Start(Tag::Image { .. }) => {
                    "images are not shown (the page loads nothing from elsewhere): describe it in words".to_string()
                }
                Event::Start(Tag::Link { dest_url, .. }) if !is_safe_href(&dest_url) => {
                    format!("the link to {dest_url:?} is dropped: only #, relative, http(s): and mailto: links are kept")
                }
                _ => return None,
            };
            Some((at.start, why))
        })
}

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
            ("| h | i |\n|---|:-:|\n| `c` | d |", "<table tabindex=\"0\"><thead><tr><th>h</th><th>i</th></tr></thead><tbody><tr><td><code>c</code></td><td>d</td></tr></tbody></table>"),
            ("```yaml\nkey: value\n  nested: <b>\n```", "<pre tabindex=\"0\"><code>key: value\n  nested: &lt;b&gt;</code></pre>"),
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

    #[tokio::test]
    async fn nesting_stops_at_the_limit_and_keeps_the_text() {
        let deep: &'static str =
            Box::leak(format!("{} deepest", ">".repeat(5_000)).into_boxed_str());
        let html = html_of(deep).await;
        assert!(html.contains("deepest"), "the text is kept");
        let depth = html.matches("<blockquote>").count();
        assert!(depth <= rollout_sim::limits::NESTING, "{depth} levels");
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
