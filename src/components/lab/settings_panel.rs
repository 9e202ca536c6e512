//! The lab's settings as a panel beside the stage that can be folded away, giving the stage the
//! room; on a phone, a sheet over the page's foot, opened from a button under the stage and closed
//! with its own button or Escape (which gives the focus back to the button).
use yew::prelude::*;

/// Where the settings open as a sheet rather than a panel (the phone layout in `app.css`).
const NARROW: &str = "(max-width: 699px)";

#[derive(Properties, PartialEq)]
pub struct SettingsPanelProps {
    /// Inside a lesson the step's few settings stay in the page's flow, open.
    pub embedded: bool,
    pub children: Html,
}

#[function_component]
pub fn SettingsPanel(props: &SettingsPanelProps) -> Html {
    let narrow = use_memo(props.embedded, |embedded| {
        !embedded && crate::browser::media(NARROW)
    });
    // Open beside the stage on a wide screen; a phone opens the sheet when asked.
    let open = use_state(|| !*narrow);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let button = use_node_ref();
    // Escape closes the sheet, and the focus goes back to the button that opened it.
    let on_key = {
        let (open, button, narrow) = (open.clone(), button.clone(), *narrow);
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *open && narrow {
                open.set(false);
                crate::browser::focus(&button);
            }
        })
    };
    let class = classes!(
        "lab-side",
        (!*open).then_some("collapsed"),
        (*open && *narrow).then_some("sheet")
    );
    html! {
        <aside {class} aria-label="Settings" onkeydown={on_key}>
            <button ref={button} type="button" class="settings-toggle" aria-expanded={open.to_string()} aria-controls="lab-settings" onclick={toggle}>
                { match (*open, *narrow) {
                    (true, true) => "Close settings",
                    (true, false) => "Hide settings",
                    (false, _) => "Settings",
                } }
            </button>
            <div id="lab-settings" hidden={!*open}>{ props.children.clone() }</div>
        </aside>
    }
}
