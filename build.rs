fn main() {
    #[cfg(feature = "ui")]
    {
        let config = slint_build::CompilerConfiguration::new()
            .with_style("material".into())
            // Debug info lets tests and accessibility tooling find elements by label.
            .with_debug_info(true);
        slint_build::compile_with_config("ui/app.slint", config)
            .expect("Slint UI failed to compile");
    }
}
