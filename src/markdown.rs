//! Lesson Markdown to Yew nodes. Raw HTML in a lesson is shown as text, never parsed, and links
//! may only use safe schemes, so lesson text can never inject markup or script.
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use yew::virtual_dom::{VNode, VTag, VText};
use yew::Html;

pub fn render(markdown: &str) -> Html {
    let mut stack = vec![VTag::new("div")];
    stack[0].add_attribute("class", "prose");
    let mut in_table_head = false;
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => {
                if matches!(tag, Tag::TableHead) {
                    in_table_head = true;
                    stack.push(VTag::new("thead"));
                    stack.push(VTag::new("tr"));
                } else {
                    stack.push(open(tag, in_table_head));
                }
            }
            Event::End(end) => {
                close(&mut stack);
                if end == TagEnd::TableHead {
                    close(&mut stack);
                    in_table_head = false;
                }
            }
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                push(&mut stack, text_node(&text))
            }
            Event::Code(code) => {
                let mut tag = VTag::new("code");
                tag.add_child(text_node(&code));
                push(&mut stack, tag.into());
            }
            Event::SoftBreak => push(&mut stack, text_node(" ")),
            Event::HardBreak => push(&mut stack, VTag::new("br").into()),
            Event::Rule => push(&mut stack, VTag::new("hr").into()),
            _ => {}
        }
    }
    while stack.len() > 1 {
        close(&mut stack);
    }
    stack.pop().map(VNode::from).unwrap_or_default()
}

fn text_node(text: &str) -> VNode {
    VText::new(text.to_string()).into()
}

fn push(stack: &mut [VTag], node: VNode) {
    if let Some(top) = stack.last_mut() {
        top.add_child(node);
    }
}

fn close(stack: &mut Vec<VTag>) {
    if stack.len() > 1 {
        if let Some(done) = stack.pop() {
            push(stack, done.into());
        }
    }
}

fn open(tag: Tag<'_>, in_table_head: bool) -> VTag {
    match tag {
        Tag::Paragraph => VTag::new("p"),
        // The page title is the h1; lesson headings start one level below it.
        Tag::Heading { level, .. } => VTag::new(match level {
            HeadingLevel::H1 | HeadingLevel::H2 => "h2",
            HeadingLevel::H3 => "h3",
            HeadingLevel::H4 => "h4",
            _ => "h5",
        }),
        Tag::BlockQuote(_) => VTag::new("blockquote"),
        Tag::CodeBlock(_) => VTag::new("pre"),
        Tag::List(Some(start)) => {
            let mut ol = VTag::new("ol");
            if start != 1 {
                ol.add_attribute("start", start.to_string());
            }
            ol
        }
        Tag::List(None) => VTag::new("ul"),
        Tag::Item => VTag::new("li"),
        Tag::Table(_) => VTag::new("table"),
        Tag::TableRow => VTag::new("tr"),
        Tag::TableCell => VTag::new(if in_table_head { "th" } else { "td" }),
        Tag::Emphasis => VTag::new("em"),
        Tag::Strong => VTag::new("strong"),
        Tag::Strikethrough => VTag::new("del"),
        Tag::Link { dest_url, .. } if is_safe_href(&dest_url) => {
            let mut a = VTag::new("a");
            if !dest_url.starts_with('#') && dest_url.contains(':') {
                a.add_attribute("rel", "noopener noreferrer");
                a.add_attribute("target", "_blank");
            }
            a.add_attribute("href", dest_url.to_string());
            a
        }
        // Unsafe links and images keep their text only: no request may leave the page.
        _ => VTag::new("span"),
    }
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
    async fn renders_common_markdown() {
        let html = html_of(
            "# Title\n\nSome *em* and **strong** `code`.\n\n- a\n- b\n\n| h |\n|---|\n| c |\n",
        )
        .await;
        for want in [
            "<h2>Title</h2>",
            "<em>em</em>",
            "<strong>strong</strong>",
            "<code>code</code>",
            "<li>a</li>",
            "<th>h</th>",
            "<td>c</td>",
        ] {
            assert!(html.contains(want), "missing {want} in {html}");
        }
    }

    #[tokio::test]
    async fn raw_html_and_script_links_stay_inert() {
        let html = html_of(
            "<script>alert(1)</script>\n\nHi <b>x</b> [go](javascript:alert(1)) [ok](#/lab)\n",
        )
        .await;
        assert!(!html.contains("<script"), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
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
