use super::*;

/// A safetensors file of the given tensors `(name, shape, values)`, with `metadata`.
fn file_of(tensors: &[(&str, Vec<usize>, Vec<f32>)], metadata: Option<&str>) -> Vec<u8> {
    let bytes: Vec<Vec<u8>> = tensors
        .iter()
        .map(|(_, _, values)| values.iter().flat_map(|v| v.to_le_bytes()).collect())
        .collect();
    let views = tensors.iter().zip(&bytes).map(|((name, shape, _), data)| {
        (
            name.to_string(),
            TensorView::new(Dtype::F32, shape.clone(), data).unwrap(),
        )
    });
    let metadata = metadata.map(|m| HashMap::from([(SIZES_KEY.to_string(), m.to_string())]));
    safetensors::serialize(views, metadata).unwrap()
}

/// The tensors of a 3-2-2 network, every value `v`.
fn small_tensors(v: f32) -> Vec<(&'static str, Vec<usize>, Vec<f32>)> {
    vec![
        ("layer1.weight", vec![3, 2], vec![v; 6]),
        ("layer1.bias", vec![2], vec![v; 2]),
        ("layer2.weight", vec![2, 2], vec![v; 4]),
        ("layer2.bias", vec![2], vec![v; 2]),
    ]
}

fn load_error(bytes: &[u8]) -> String {
    match Mlp::<f32>::from_safetensors(bytes) {
        Ok(_) => panic!("the file should have been refused"),
        Err(e) => format!("{e:#}"),
    }
}

#[test]
fn a_hand_made_file_loads_into_the_right_places() {
    let mut tensors = small_tensors(0.5);
    tensors[3].2 = vec![1.0, -1.0]; // layer2.bias
    let mut model = Mlp::<f32>::from_safetensors(&file_of(&tensors, Some("3-2-2"))).unwrap();
    // every hidden unit is 0.5·(1+1+1) + 0.5 = 2; each output 0.5·(2+2) ± 1
    let scores = model.net.predict(&ndarray::array![[1.0, 1.0, 1.0]]);
    assert_eq!(scores, ndarray::array![[3.0, 1.0]]);
}

#[test]
fn saving_and_loading_gives_back_the_same_network() {
    let mut rng = seeded_rng::rng(1);
    let mut model = Mlp::<f64>::new(&[5, 4, 3], &mut rng);
    let mut loaded = Mlp::<f64>::from_safetensors(&model.to_safetensors()).unwrap();
    let x = seeded_rng::randn::<f64>(&mut rng, (2, 5));
    assert_eq!(loaded.net.predict(&x), model.net.predict(&x));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deeper").join("model.safetensors");
    model.save(&path).unwrap();
    let mut from_disk = Mlp::<f64>::load(&path).unwrap();
    assert_eq!(from_disk.net.predict(&x), model.net.predict(&x));
}

#[test]
fn a_wrong_shape_is_refused_naming_the_tensor_and_both_shapes() {
    let mut tensors = small_tensors(0.5);
    tensors[2] = ("layer2.weight", vec![4, 1], vec![0.5; 4]);
    let error = load_error(&file_of(&tensors, Some("3-2-2")));
    let expected = "tensor layer2.weight has shape [4, 1], but a 3-2-2 network needs [2, 2]";
    assert!(error.contains(expected), "{error}");
}

#[test]
fn a_transposed_weight_is_refused() {
    let mut model = Mlp::<f32>::new(&[3, 2, 4], &mut seeded_rng::rng(0));
    let bytes = with_shape_transposed(&model.to_safetensors(), 2, 4);
    let error = load_error(&bytes);
    assert!(error.contains("has shape [4, 2]"), "{error}");
}

#[test]
fn a_missing_tensor_is_refused() {
    let mut tensors = small_tensors(0.5);
    tensors.remove(1);
    let error = load_error(&file_of(&tensors, Some("3-2-2")));
    assert!(error.contains("tensor layer1.bias is missing"), "{error}");
}

#[test]
fn an_unexpected_tensor_is_refused() {
    let mut tensors = small_tensors(0.5);
    tensors.push(("layer3.weight", vec![2, 2], vec![0.0; 4]));
    let error = load_error(&file_of(&tensors, Some("3-2-2")));
    let expected = "unexpected tensors \"layer3.weight\"";
    assert!(error.contains(expected), "{error}");
}

#[test]
fn a_file_without_layer_sizes_is_refused() {
    let error = load_error(&file_of(&small_tensors(0.5), None));
    let expected = "no \"layer_sizes\" in its metadata";
    assert!(error.contains(expected), "{error}");
    let error = load_error(&file_of(&small_tensors(0.5), Some("3-two-2")));
    let expected = "\"two\" is not a positive layer size";
    assert!(error.contains(expected), "{error}");
}

#[test]
fn a_wrong_data_type_is_refused() {
    let mut model = Mlp::<f64>::new(&[3, 2, 2], &mut seeded_rng::rng(0));
    let error = load_error(&model.to_safetensors());
    let expected = "holds F64 numbers, but this network computes in F32";
    assert!(error.contains(expected), "{error}");
}

#[test]
fn truncated_and_corrupt_bytes_are_refused() {
    let mut model = Mlp::<f32>::new(&[3, 2, 2], &mut seeded_rng::rng(0));
    let bytes = model.to_safetensors();
    for cut in [0, 4, 8, 20, bytes.len() - 1] {
        let error = load_error(&bytes[..cut]);
        let refused = error.starts_with("not a safetensors file");
        assert!(refused, "cut at {cut}: {error}");
    }
    let mut scrambled = bytes.clone();
    scrambled[12] = b'#'; // inside the JSON header
    assert!(load_error(&scrambled).starts_with("not a safetensors file"));
    assert!(load_error(b"\x89PNG\r\n\x1a\n and so on").starts_with("not a safetensors file"));
    let error = load_error(&file_of(&small_tensors(f32::NAN), Some("3-2-2")));
    assert!(error.contains("not finite"), "{error}");
}

#[test]
fn a_model_that_is_not_finite_is_not_saved_over_a_good_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.safetensors");
    let mut good = Mlp::<f32>::new(&[3, 2, 2], &mut seeded_rng::rng(0));
    good.save(&path).unwrap();
    let saved = std::fs::read(&path).unwrap();
    let mut broken = Mlp::<f32>::new(&[3, 2, 2], &mut seeded_rng::rng(1));
    broken.net.params_and_grads()[0].0[[0, 0]] = f32::NAN;
    let error = format!("{:#}", broken.save(&path).unwrap_err());
    assert!(error.contains("numbers that are not finite"), "{error}");
    assert_eq!(std::fs::read(&path).unwrap(), saved);
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1); // no temporary left
}

#[cfg(unix)]
#[test]
fn a_saved_model_is_as_readable_as_any_other_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let (model, other) = (
        dir.path().join("model.safetensors"),
        dir.path().join("other"),
    );
    Mlp::<f32>::new(&[3, 2, 2], &mut seeded_rng::rng(0))
        .save(&model)
        .unwrap();
    std::fs::write(&other, "").unwrap(); // the permissions of a file written as usual
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&model), mode(&other));
}

#[test]
fn a_folder_or_an_unwritable_place_is_found_before_training() {
    let dir = tempfile::tempdir().unwrap();
    check_writable(&dir.path().join("new").join("model.safetensors")).unwrap();
    let error = format!("{:#}", check_writable(dir.path()).unwrap_err());
    assert!(
        error.contains("is a folder: the model needs a file name"),
        "{error}"
    );
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let error = format!(
        "{:#}",
        check_writable(&file.join("model.safetensors")).unwrap_err()
    );
    assert!(error.contains("creating the model folder"), "{error}");
}

#[test]
fn a_missing_file_is_an_error_that_names_it() {
    let error = Mlp::<f32>::load(Path::new("/no/such/model.safetensors")).unwrap_err();
    assert!(format!("{error:#}").contains("reading the model /no/such/model.safetensors"));
}

/// A safetensors file of the JSON `header` and `data`, as written by hand.
fn raw_file(header: &str, data: &[u8]) -> Vec<u8> {
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

#[test]
fn offsets_past_the_end_of_the_file_are_refused_before_they_can_overflow() {
    // Offsets that safetensors' own check accepts (the shape fills them exactly) but
    // whose sum with the header's length passes 2^64.
    let huge = u64::MAX - 15;
    let header = format!(
        r#"{{"__metadata__":{{"layer_sizes":"3-2-2"}},"layer1.weight":{{"dtype":"U8","shape":[{huge}],"data_offsets":[0,{huge}]}}}}"#
    );
    let error = load_error(&raw_file(&header, &[0; 16]));
    let expected = "tensors whose bytes lie outside the file's 16 bytes of data: \
                    \"layer1.weight at [0, 18446744073709551600]\"";
    assert!(error.contains(expected), "{error}");
}

#[test]
fn thousands_of_unexpected_tensors_are_refused_quickly_in_a_short_message() {
    let mut header = String::from(r#"{"__metadata__":{"layer_sizes":"3-2-2"}"#);
    for i in 0..10_000 {
        header += &format!(r#","extra{i:05}":{{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}"#);
    }
    header.push('}');
    let started = std::time::Instant::now();
    let error = load_error(&raw_file(&header, &[]));
    assert!(started.elapsed().as_secs_f64() < 1.0);
    let expected = "unexpected tensors \"extra00000\", \"extra00001\", \"extra00002\" and \
                    9997 more: a 3-2-2 network has only \"layer1.bias\", \"layer1.weight\", \
                    \"layer2.bias\" and 1 more";
    assert!(error.contains(expected), "{error}");
    assert!(error.len() < 300, "{} bytes", error.len());
}

#[test]
fn absurd_layer_sizes_are_refused_before_a_network_is_built() {
    let long = vec!["1"; 100_000].join("-");
    let header = format!(r#"{{"__metadata__":{{"layer_sizes":"{long}"}}}}"#);
    let error = load_error(&raw_file(&header, &[]));
    assert!(
        error.contains("gives 99999 layers, more than the 100"),
        "{error}"
    );
    assert!(error.len() < 300, "{} bytes", error.len());
    let header = r#"{"__metadata__":{"layer_sizes":"784-100000000-10"}}"#;
    let error = load_error(&raw_file(header, &[]));
    assert!(
        error.contains("79500000010 parameters, more than the 10000000"),
        "{error}"
    );
}

#[test]
fn a_header_longer_than_a_model_needs_is_refused() {
    let header = format!("{{{}}}", " ".repeat(2 << 20));
    let error = load_error(&raw_file(&header, &[]));
    assert!(
        error.contains("more than the 1048576 a model's header may have"),
        "{error}"
    );
}

#[test]
fn an_endless_or_overlong_file_is_refused_after_reading_a_little_of_it() {
    let started = std::time::Instant::now();
    let error = format!(
        "{:#}",
        Mlp::<f32>::load(Path::new("/dev/zero")).unwrap_err()
    );
    assert!(error.contains("not a safetensors file"), "{error}");
    assert!(started.elapsed().as_secs_f64() < 1.0);

    let mut model = Mlp::<f32>::new(&[3, 2, 2], &mut seeded_rng::rng(0));
    let mut bytes = model.to_safetensors();
    bytes.extend_from_slice(&[0; 1000]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.safetensors");
    std::fs::write(&path, bytes).unwrap();
    let error = format!("{:#}", Mlp::<f32>::load(&path).unwrap_err());
    let expected = "longer than the header and the numbers of a 3-2-2 network can be";
    assert!(error.contains(expected), "{error}");
}
