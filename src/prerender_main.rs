//! `prerender FILE`: writes the course's first screens into the built page FILE (dist/index.html),
//! so they are readable before the wasm arrives (`rollout_lab::prerender`).
fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let Some(path) = std::env::args().nth(1) else {
            eprintln!("usage: prerender dist/index.html");
            std::process::exit(2);
        };
        let runtime = match tokio::runtime::Builder::new_current_thread().build() {
            Ok(r) => r,
            Err(e) => fail(&format!("no runtime: {e}")),
        };
        let container = runtime.block_on(rollout_lab::prerender::container());
        let page = std::fs::read_to_string(&path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
        let done = rollout_lab::prerender::insert(&page, &container)
            .unwrap_or_else(|e| fail(&format!("{path}: {e}")));
        std::fs::write(&path, done).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
        println!(
            "prerendered {} pages into {path} ({} KB)",
            rollout_lab::prerender::routes().len(),
            container.len() / 1024
        );
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn fail(why: &str) -> ! {
    eprintln!("prerender: {why}");
    std::process::exit(1)
}
