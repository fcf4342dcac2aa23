use super::*;
use pretty_assertions::assert_eq;

fn load_text(text: &str) -> Result<Config, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("devos.toml");
    std::fs::write(&path, text).unwrap();
    Config::load(&Overrides {
        config_file: Some(path),
        home: Some("/home/u".into()),
        ..Overrides::default()
    })
}

#[test]
fn defaults_load_and_fill_paths_from_home() {
    let config = Config::load(&Overrides {
        home: Some("/home/u".into()),
        ..Overrides::default()
    })
    .unwrap();
    assert_eq!(config.server.addr.to_string(), "127.0.0.1:8080");
    assert_eq!(
        config.storage.data_dir,
        PathBuf::from("/home/u/.local/share/devos")
    );
    assert_eq!(config.workspace.roots, vec![PathBuf::from("/home/u")]);
}

#[test]
fn default_root_is_a_projects_folder_then_the_start_directory() {
    let home = tempfile::tempdir().unwrap();
    let overrides = Overrides {
        home: Some(home.path().to_path_buf()),
        cwd: Some("/srv/here".into()),
        ..Overrides::default()
    };
    let config = Config::load(&overrides).unwrap();
    assert_eq!(config.workspace.roots, vec![PathBuf::from("/srv/here")]);
    std::fs::create_dir(home.path().join("src")).unwrap();
    let config = Config::load(&overrides).unwrap();
    assert_eq!(config.workspace.roots, vec![home.path().join("src")]);
    assert_eq!(config.sandbox.timeout_secs, 120);
}

#[test]
fn user_file_overrides_single_keys() {
    let config = load_text("[sandbox]\ntimeout_secs = 7\n").unwrap();
    assert_eq!(config.sandbox.timeout_secs, 7);
    assert_eq!(config.sandbox.cpu_secs, 60);
}

#[test]
fn every_value_says_where_it_came_from() {
    let config = load_text("[sandbox]\ntimeout_secs = 7\n").unwrap();
    let origin = |key: &str| {
        let found = config.origins.iter().find(|o| o.key == key);
        found
            .unwrap_or_else(|| panic!("no origin for {key}"))
            .clone()
    };
    let timeout = origin("sandbox.timeout_secs");
    assert_eq!((timeout.value.as_str(), timeout.source), ("7", "file"));
    assert!(timeout.from.ends_with("devos.toml"), "{timeout:?}");
    let cpu = origin("sandbox.cpu_secs");
    assert_eq!((cpu.value.as_str(), cpu.source), ("60", "default"));
    let data_dir = origin("storage.data_dir");
    assert_eq!(data_dir.source, "derived");
    assert_eq!(data_dir.value, "\"/home/u/.local/share/devos\"");
    assert_eq!(origin("workspace.roots").value, "[\"/home/u\"]");
    let mut keys: Vec<&str> = config.origins.iter().map(|o| o.key.as_str()).collect();
    let listed = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), listed, "each key once");
}

#[test]
fn secret_looking_values_are_masked() {
    let value = toml::Value::String("hunter2".into());
    assert_eq!(shown_value("models.api_key", &value), "••••••");
    assert_eq!(shown_value("server.session_token", &value), "••••••");
    assert_eq!(shown_value("server.addr", &value), "\"hunter2\"");
}

#[test]
fn wrong_type_names_file_and_key() {
    let err = load_text("[sandbox]\ntimeout_secs = \"soon\"\n").unwrap_err();
    assert_eq!(err.key, "sandbox.timeout_secs");
    assert!(err.file.ends_with("devos.toml"), "{err}");
    assert!(err.problem.contains("invalid type"), "{err}");
}

#[test]
fn unknown_key_is_rejected() {
    let err = load_text("[server]\nadress = \"127.0.0.1:1\"\n").unwrap_err();
    assert_eq!(err.key, "server.adress");
    assert!(err.problem.contains("adress"), "{err}");
}

#[test]
fn zero_timeout_is_rejected() {
    let err = load_text("[approval]\ntimeout_secs = 0\n").unwrap_err();
    assert_eq!(
        (err.key.as_str(), err.problem.as_str()),
        ("approval.timeout_secs", "must be greater than 0")
    );
}

#[test]
fn syntax_error_gives_line() {
    let err = load_text("[server]\naddr = \n").unwrap_err();
    assert_eq!(err.key, "(syntax)");
    assert!(err.problem.contains("line 2"), "{err}");
}

#[test]
fn env_overrides_win_and_bad_addr_is_named() {
    let mut overrides = Overrides {
        addr: Some("127.0.0.1:9999".into()),
        data_dir: Some("/tmp/d".into()),
        ..Overrides::default()
    };
    let config = Config::load(&overrides).unwrap();
    assert_eq!(config.server.addr.port(), 9999);
    assert_eq!(config.storage.data_dir, PathBuf::from("/tmp/d"));
    let origin = |key: &str| {
        config
            .origins
            .iter()
            .find(|o| o.key == key)
            .unwrap()
            .clone()
    };
    assert_eq!(origin("server.addr").source, "environment");
    assert_eq!(origin("server.addr").from, "DEVOS_ADDR");
    assert_eq!(origin("storage.data_dir").value, "\"/tmp/d\"");
    overrides.addr = Some("nonsense".into());
    let err = Config::load(&overrides).unwrap_err();
    assert!(err.file.contains("DEVOS_ADDR"), "{err}");
}
