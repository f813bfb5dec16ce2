fn main() {
    #[cfg(feature = "ui")]
    {
        // Slint's debug info (each element's type and id) lets the UI tests
        // and the screenshot example find elements through
        // `i-slint-backend-testing`; they build with the dev profile. The
        // app as shipped, and the benches, build with the release profile
        // (or one that inherits it) and do without those names.
        // `CG_SLINT_DEBUG_INFO=1` turns it on in any profile.
        println!("cargo:rerun-if-env-changed=CG_SLINT_DEBUG_INFO");
        let debug_info = std::env::var("PROFILE").as_deref() == Ok("debug")
            || std::env::var_os("CG_SLINT_DEBUG_INFO").is_some();
        let config = slint_build::CompilerConfiguration::new()
            .with_style("material".into())
            .with_debug_info(debug_info);
        slint_build::compile_with_config("ui/app.slint", config)
            .expect("Slint UI failed to compile");
    }
}
