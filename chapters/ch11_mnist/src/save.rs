//! Saving and loading a model as safetensors: an 8-byte header length, a JSON header that names
//! each tensor with its data type, shape and place in the file (plus free-form metadata), then
//! the raw little-endian numbers. Loading trusts nothing in the file.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail, ensure};
use ch03_layers::Float;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

use crate::model::{Mlp, architecture, parse_sizes};

/// A float type a model can be stored in: its safetensors data type and its little-endian
/// bytes.
///
/// ```
/// use ch11_mnist::StoredFloat;
/// let mut bytes = Vec::new();
/// 1.5f32.put_le_bytes(&mut bytes);
/// assert_eq!(bytes, [0, 0, 192, 63]);
/// assert_eq!(f32::from_le_slice(&bytes), 1.5);
/// assert_eq!(f64::DTYPE, safetensors::Dtype::F64);
/// ```
// ANCHOR: stored_float
pub trait StoredFloat: Float {
    const DTYPE: Dtype; // F32 or F64
    fn put_le_bytes(self, out: &mut Vec<u8>);
    fn from_le_slice(bytes: &[u8]) -> Self;
}

impl StoredFloat for f32 {
    const DTYPE: Dtype = Dtype::F32;
    fn put_le_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn from_le_slice(bytes: &[u8]) -> Self {
        f32::from_le_bytes(bytes.try_into().expect("an f32 is four bytes"))
    }
}
// ANCHOR_END: stored_float

impl StoredFloat for f64 {
    const DTYPE: Dtype = Dtype::F64;
    fn put_le_bytes(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes());
    }
    fn from_le_slice(bytes: &[u8]) -> Self {
        f64::from_le_bytes(bytes.try_into().expect("an f64 is eight bytes"))
    }
}

/// The metadata key under which a saved model keeps its layer sizes, as `"784-256-128-10"`.
pub const SIZES_KEY: &str = "layer_sizes";

/// The names of a network's tensors, in the order of `params_and_grads` (each layer's
/// weights, then its bias), and the shape each must have: weights `[inputs, outputs]` (as
/// `y = x·W` uses them), biases `[outputs]`.
///
/// ```
/// assert_eq!(
///     ch11_mnist::tensor_names(3),
///     ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"]
/// );
/// assert_eq!(
///     ch11_mnist::tensor_shapes(&[784, 256, 10]),
///     [vec![784, 256], vec![256], vec![256, 10], vec![10]]
/// );
/// ```
// ANCHOR: names
pub fn tensor_names(layer_sizes: usize) -> Vec<String> {
    (1..layer_sizes)
        .flat_map(|i| [format!("layer{i}.weight"), format!("layer{i}.bias")])
        .collect()
}

pub fn tensor_shapes(sizes: &[usize]) -> Vec<Vec<usize>> {
    sizes
        .windows(2)
        .flat_map(|pair| [vec![pair[0], pair[1]], vec![pair[1]]])
        .collect()
}
// ANCHOR_END: names

// ANCHOR: save_impl
impl<F: StoredFloat> Mlp<F> {
    // ANCHOR_END: save_impl
    /// The model as the bytes of a safetensors file, its layer sizes in the header's metadata.
    ///
    /// ```
    /// let mut model = ch11_mnist::Mlp::<f32>::new(&[4, 3, 2], &mut seeded_rng::rng(0));
    /// let bytes = model.to_safetensors();
    /// let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    /// assert_eq!(bytes.len(), 8 + header_len + 4 * (4 * 3 + 3 + 3 * 2 + 2));
    /// ```
    // ANCHOR: save
    pub fn to_safetensors(&mut self) -> Vec<u8> {
        let mut data: Vec<Vec<u8>> = Vec::new(); // each tensor's bytes, row after row
        for (param, _) in self.net.params_and_grads() {
            let mut bytes = Vec::new();
            param.iter().for_each(|&v| v.put_le_bytes(&mut bytes));
            data.push(bytes);
        }
        let names = tensor_names(self.sizes.len());
        let shapes = tensor_shapes(&self.sizes);
        let mut tensors = Vec::new();
        for ((name, shape), bytes) in names.into_iter().zip(shapes).zip(&data) {
            let view = TensorView::new(F::DTYPE, shape, bytes).expect("the bytes fit the shape");
            tensors.push((name, view));
        }
        let metadata = HashMap::from([(SIZES_KEY.to_string(), self.architecture())]);
        safetensors::serialize(tensors, Some(metadata)).expect("a model always serialises")
    }
    // ANCHOR_END: save

    /// Writes [`Mlp::to_safetensors`] to `path` (creating its folder), through a temporary
    /// file in the same folder, so that a reader never sees half a model.
    pub fn save(&mut self, path: &Path) -> Result<()> {
        let folder = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        std::fs::create_dir_all(folder)
            .with_context(|| format!("creating the model folder {}", folder.display()))?;
        let mut file = tempfile::NamedTempFile::new_in(folder)
            .with_context(|| format!("creating a file in {}", folder.display()))?;
        std::io::Write::write_all(&mut file, &self.to_safetensors())
            .with_context(|| format!("writing the model to {}", path.display()))?;
        file.persist(path)
            .with_context(|| format!("saving the model as {}", path.display()))?;
        Ok(())
    }

    /// Rebuilds a model from the bytes of a safetensors file written by
    /// [`Mlp::to_safetensors`], checking everything before trusting it: that the bytes are a
    /// safetensors file at all, that its metadata gives the layer sizes, that there is no
    /// tensor the network does not have, and that every tensor it needs is there with the
    /// right data type and shape, every number finite ([`read_tensor`]).
    ///
    /// ```
    /// use ch11_mnist::Mlp;
    /// let mut model = Mlp::<f32>::new(&[4, 3, 2], &mut seeded_rng::rng(0));
    /// let x = ndarray::array![[0.1, 0.2, 0.3, 0.4]];
    /// let mut loaded = Mlp::<f32>::from_safetensors(&model.to_safetensors())?;
    /// assert_eq!(loaded.sizes, [4, 3, 2]);
    /// assert_eq!(loaded.net.predict(&x), model.net.predict(&x));
    ///
    /// let error = Mlp::<f32>::from_safetensors(b"not a model").unwrap_err();
    /// assert!(error.to_string().starts_with("not a safetensors file"));
    /// # Ok::<(), anyhow::Error>(())
    /// ```
    // ANCHOR: load
    pub fn from_safetensors(bytes: &[u8]) -> Result<Self> {
        let file = SafeTensors::deserialize(bytes).map_err(not_safetensors)?;
        let sizes = sizes_in_metadata(bytes)?;
        let names = tensor_names(sizes.len());
        no_other_tensors(&file, &names, &sizes)?;
        let mut model = Mlp::new(&sizes, &mut seeded_rng::rng(0)); // weights replaced below
        let params = model.net.params_and_grads().into_iter();
        for (((mut param, _), name), shape) in params.zip(&names).zip(tensor_shapes(&sizes)) {
            let values: Vec<F> = read_tensor(&file, name, &shape, &architecture(&sizes))?;
            param.iter_mut().zip(values).for_each(|(p, v)| *p = v); // row after row
        }
        Ok(model)
    }
    // ANCHOR_END: load

    /// Reads a model from the safetensors file at `path` (see [`Mlp::from_safetensors`]).
    pub fn load(path: &Path) -> Result<Self> {
        let bytes =
            std::fs::read(path).with_context(|| format!("reading the model {}", path.display()))?;
        Self::from_safetensors(&bytes)
            .with_context(|| format!("loading the model {}", path.display()))
    }
}

/// The values of the tensor `name` of `file`, checked: it must be there, hold numbers of the
/// type `F`, have the shape `shape` that a `network` (`"784-256-10"`) needs, and hold only
/// finite numbers.
// ANCHOR: read_tensor
pub fn read_tensor<F: StoredFloat>(
    file: &SafeTensors,
    name: &str,
    shape: &[usize],
    network: &str,
) -> Result<Vec<F>> {
    let tensor = file.tensor(name).map_err(|_| {
        anyhow!("tensor {name} is missing: a {network} network needs it, of shape {shape:?}")
    })?;
    let (dtype, found) = (tensor.dtype(), tensor.shape());
    ensure!(
        dtype == F::DTYPE,
        "tensor {name} holds {dtype:?} numbers, but this network computes in {:?}",
        F::DTYPE
    );
    ensure!(
        found == shape,
        "tensor {name} has shape {found:?}, but a {network} network needs {shape:?}"
    );
    let bytes = tensor.data().chunks_exact(std::mem::size_of::<F>());
    let values: Vec<F> = bytes.map(F::from_le_slice).collect();
    ensure!(
        values.iter().all(|v| v.is_finite()),
        "tensor {name} holds a number that is not finite (NaN or infinite)"
    );
    Ok(values)
}
// ANCHOR_END: read_tensor

/// The error for bytes that the safetensors crate cannot read.
fn not_safetensors(e: safetensors::SafeTensorError) -> anyhow::Error {
    anyhow!("not a safetensors file ({e})")
}

/// The layer sizes a file's metadata gives under [`SIZES_KEY`].
fn sizes_in_metadata(bytes: &[u8]) -> Result<Vec<usize>> {
    let (_, header) = SafeTensors::read_metadata(bytes).map_err(not_safetensors)?;
    let sizes = header
        .metadata()
        .as_ref()
        .and_then(|m| m.get(SIZES_KEY))
        .ok_or_else(|| anyhow!("the file has no \"{SIZES_KEY}\" in its metadata"))?;
    parse_sizes(sizes)
        .with_context(|| format!("reading \"{SIZES_KEY}\" = {sizes:?} from the metadata"))
}

/// An error if `file` holds a tensor that is not among `names`, the tensors of a network of
/// layers `sizes`.
fn no_other_tensors(file: &SafeTensors, names: &[String], sizes: &[usize]) -> Result<()> {
    let mut unexpected: Vec<&str> = file
        .names()
        .into_iter()
        .filter(|name| !names.iter().any(|n| n == name))
        .collect();
    if !unexpected.is_empty() {
        unexpected.sort();
        let network = architecture(sizes);
        bail!("unexpected tensors {unexpected:?}: a {network} network has only {names:?}");
    }
    Ok(())
}

/// A summary of a safetensors file for the story: the header's length, its metadata, and each
/// tensor's name, data type and shape, sorted by name.
pub struct Contents {
    pub header_len: usize,
    pub metadata: HashMap<String, String>,
    pub tensors: Vec<(String, Dtype, Vec<usize>)>,
}

/// What the safetensors file `bytes` holds (see [`Contents`]).
///
/// ```
/// let mut model = ch11_mnist::Mlp::<f32>::new(&[4, 3, 2], &mut seeded_rng::rng(0));
/// let contents = ch11_mnist::save::contents(&model.to_safetensors())?;
/// assert_eq!(contents.metadata["layer_sizes"], "4-3-2");
/// assert_eq!(contents.tensors[0].0, "layer1.bias");
/// # Ok::<(), anyhow::Error>(())
/// ```
pub fn contents(bytes: &[u8]) -> Result<Contents> {
    let (header_len, header) = SafeTensors::read_metadata(bytes).map_err(not_safetensors)?;
    let file = SafeTensors::deserialize(bytes).map_err(not_safetensors)?;
    let mut tensors: Vec<(String, Dtype, Vec<usize>)> = file
        .tensors()
        .into_iter()
        .map(|(name, t)| (name, t.dtype(), t.shape().to_vec()))
        .collect();
    tensors.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Contents {
        header_len,
        metadata: header.metadata().clone().unwrap_or_default(),
        tensors,
    })
}

/// The file `bytes` with the shape of its `[rows, cols]` tensor written as `[cols, rows]` in
/// its header: still a valid safetensors file (the same number of values), but wrong — what a
/// weight saved by PyTorch, which stores `[outputs, inputs]`, looks like to our loader.
///
/// # Panics
/// If the header names no tensor of shape `[rows, cols]`.
pub fn with_shape_transposed(bytes: &[u8], rows: usize, cols: usize) -> Vec<u8> {
    let from = format!("\"shape\":[{rows},{cols}]");
    let to = format!("\"shape\":[{cols},{rows}]");
    let text = String::from_utf8_lossy(bytes);
    let start = text.find(&from).expect("the header names the shape");
    let mut changed = bytes.to_vec();
    changed[start..start + to.len()].copy_from_slice(to.as_bytes());
    changed
}

#[cfg(test)]
mod tests {
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
        let expected = "unexpected tensors [\"layer3.weight\"]";
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
    fn a_missing_file_is_an_error_that_names_it() {
        let error = Mlp::<f32>::load(Path::new("/no/such/model.safetensors")).unwrap_err();
        assert!(format!("{error:#}").contains("reading the model /no/such/model.safetensors"));
    }
}
