//! Saving and loading a model as safetensors: an 8-byte header length, a JSON header that names
//! each tensor with its data type, shape and place in the file (plus free-form metadata), then
//! the raw little-endian numbers. Loading trusts nothing in the file.

use std::collections::{HashMap, HashSet};
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail, ensure};
use ch03_layers::Float;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use serde_json::{Map, Value};

use crate::model::{Mlp, architecture, parse_sizes, shorten};

/// A float type a model can be stored in: its safetensors data type and its little-endian
/// bytes.
///
/// ```
/// use ch13_mnist::StoredFloat;
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
///     ch13_mnist::tensor_names(3),
///     ["layer1.weight", "layer1.bias", "layer2.weight", "layer2.bias"]
/// );
/// assert_eq!(
///     ch13_mnist::tensor_shapes(&[784, 256, 10]),
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
    /// let mut model = ch13_mnist::Mlp::<f32>::new(&[4, 3, 2], &mut seeded_rng::rng(0));
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
    /// file in the same folder, so that a reader never sees half a model; a model that holds a
    /// number that is not finite is refused, so that it never replaces a good one.
    pub fn save(&mut self, path: &Path) -> Result<()> {
        let finite = self
            .net
            .params_and_grads()
            .iter()
            .all(|(p, _)| p.iter().all(|v| v.is_finite()));
        ensure!(
            finite,
            "the model holds numbers that are not finite (NaN or infinite): not saving it to {}",
            path.display()
        );
        let mut file = temporary_file_beside(path)?;
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
    /// use ch13_mnist::Mlp;
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
        let header = checked_header(bytes)?; // every tensor's bytes inside the file
        let file = SafeTensors::deserialize(bytes).map_err(not_safetensors)?;
        let sizes = sizes_in_metadata(&header)?;
        let names = tensor_names(sizes.len());
        no_other_tensors(&header, &names, &sizes)?;
        let mut model = Mlp::new(&sizes, &mut seeded_rng::rng(0)); // weights replaced below
        let params = model.net.params_and_grads().into_iter();
        for (((mut param, _), name), shape) in params.zip(&names).zip(tensor_shapes(&sizes)) {
            let values: Vec<F> = read_tensor(&file, name, &shape, &architecture(&sizes))?;
            param.iter_mut().zip(values).for_each(|(p, v)| *p = v); // row after row
        }
        Ok(model)
    }
    // ANCHOR_END: load

    /// Reads a model from the safetensors file at `path` (see [`Mlp::from_safetensors`]),
    /// reading no more of the file than its header and the numbers it announces can fill.
    pub fn load(path: &Path) -> Result<Self> {
        let bytes =
            read_bounded(path).with_context(|| format!("reading the model {}", path.display()))?;
        Self::from_safetensors(&bytes)
            .with_context(|| format!("loading the model {}", path.display()))
    }
}

/// A new, empty temporary file in the folder of `path` (created if need be), to write a model
/// into and then rename to `path`.
fn temporary_file_beside(path: &Path) -> Result<tempfile::NamedTempFile> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(folder)
        .with_context(|| format!("creating the model folder {}", folder.display()))?;
    ensure!(
        !path.is_dir(),
        "{} is a folder: the model needs a file name",
        path.display()
    );
    #[cfg_attr(not(unix), allow(unused_mut))] // (only unix sets its permissions)
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)] // readable by others, as any file the program writes (a temporary file is not)
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder
        .tempfile_in(folder)
        .with_context(|| format!("creating a file in {}", folder.display()))
}

/// Checks, before a long training, that a model can be saved to `path`: its folder exists or
/// can be made, and a file can be written in it.
///
/// ```
/// assert!(ch13_mnist::save::check_writable(std::path::Path::new("/proc/model.safetensors")).is_err());
/// ```
pub fn check_writable(path: &Path) -> Result<()> {
    temporary_file_beside(path)?; // deleted when dropped
    Ok(())
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

/// The longest JSON header a model file may have: 1 MiB (the story's has 512 bytes).
pub const MAX_HEADER_BYTES: u64 = 1 << 20;

/// How many offenders an error message names before it only counts the rest.
const NAMED: usize = 3;

/// The length of the JSON header that the first 8 bytes of a safetensors file give, at most
/// [`MAX_HEADER_BYTES`].
fn header_len(bytes: &[u8]) -> Result<u64> {
    let Some(&prefix) = bytes.first_chunk::<8>() else {
        bail!(
            "not a safetensors file (it holds {} bytes, fewer than 8)",
            bytes.len()
        );
    };
    let n = u64::from_le_bytes(prefix);
    ensure!(
        n <= MAX_HEADER_BYTES,
        "not a safetensors file (its first 8 bytes give a header of {n} bytes, more than the \
         {MAX_HEADER_BYTES} a model's header may have)"
    );
    Ok(n)
}

/// The JSON header of a safetensors file, parsed: one entry per tensor, and the metadata.
fn parse_header(json: &[u8]) -> Result<Map<String, Value>> {
    serde_json::from_slice(json).map_err(|e| anyhow!("not a safetensors file (its header: {e})"))
}

/// The layer sizes the header's metadata gives under [`SIZES_KEY`].
fn sizes_in_metadata(header: &Map<String, Value>) -> Result<Vec<usize>> {
    let sizes = header
        .get("__metadata__")
        .and_then(|m| m.get(SIZES_KEY))
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("the file has no \"{SIZES_KEY}\" in its metadata"))?;
    parse_sizes(sizes).with_context(|| {
        format!(
            "reading \"{SIZES_KEY}\" = {} from the metadata",
            shorten(sizes)
        )
    })
}

/// The JSON header of the safetensors file `bytes`, parsed and checked before the safetensors
/// crate reads it: every tensor's bytes lie inside the file, so that no offset, however large,
/// can overflow a sum.
fn checked_header(bytes: &[u8]) -> Result<Map<String, Value>> {
    let n = header_len(bytes)? as usize;
    ensure!(
        n <= bytes.len() - 8,
        "not a safetensors file (its first 8 bytes give a header of {n} bytes, but only {} \
         bytes follow them)",
        bytes.len() - 8
    );
    let header = parse_header(&bytes[8..8 + n])?;
    let data_len = (bytes.len() - 8 - n) as u64;
    let mut outside = Vec::new();
    for (name, info) in header.iter().filter(|(name, _)| *name != "__metadata__") {
        let offsets = info.get("data_offsets").and_then(Value::as_array);
        let ends = offsets.map(|o| o.iter().filter_map(Value::as_u64).collect::<Vec<u64>>());
        if let Some(&[start, end]) = ends.as_deref()
            && (start > end || end > data_len)
        {
            outside.push(format!("{name} at [{start}, {end}]"));
        }
    }
    ensure!(
        outside.is_empty(),
        "not a safetensors file (tensors whose bytes lie outside the file's {data_len} bytes \
         of data: {})",
        some_of(outside)
    );
    Ok(header)
}

/// An error if the `header` names a tensor that is not among `names`, the tensors of a
/// network of layers `sizes`: the first few, and how many.
fn no_other_tensors(header: &Map<String, Value>, names: &[String], sizes: &[usize]) -> Result<()> {
    let expected: HashSet<&String> = names.iter().collect();
    let unexpected: Vec<String> = header
        .keys()
        .filter(|name| *name != "__metadata__" && !expected.contains(name))
        .cloned()
        .collect();
    ensure!(
        unexpected.is_empty(),
        "unexpected tensors {}: a {} network has only {}",
        some_of(unexpected),
        architecture(sizes),
        some_of(names.to_vec())
    );
    Ok(())
}

/// The first few of `items`, sorted and quoted, and how many more there are:
/// `"a", "b", "c" and 997 more`.
fn some_of(mut items: Vec<String>) -> String {
    items.sort();
    let shown: Vec<String> = items.iter().take(NAMED).map(|s| shorten(s)).collect();
    match items.len().saturating_sub(NAMED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// Reads the model file at `path`: its header first, then no more bytes than the numbers of
/// the network its metadata gives can fill (8 bytes each at most), so that a huge or endless
/// file (`/dev/zero`) is refused after reading a little of it.
fn read_bounded(path: &Path) -> Result<Vec<u8>> {
    let mut file = std::fs::File::open(path)?;
    let mut bytes = Vec::new();
    (&mut file).take(8).read_to_end(&mut bytes)?;
    let n = header_len(&bytes)?;
    (&mut file).take(n).read_to_end(&mut bytes)?;
    ensure!(
        bytes.len() as u64 == 8 + n,
        "not a safetensors file (it ends inside its {n}-byte header)"
    );
    let sizes = sizes_in_metadata(&parse_header(&bytes[8..])?)?;
    let most = 8 * crate::model::parameter_count(&sizes) as u64; // at most 80 MB
    (&mut file).take(most + 1).read_to_end(&mut bytes)?;
    ensure!(
        bytes.len() as u64 <= 8 + n + most,
        "the file is longer than the header and the numbers of a {} network can be",
        architecture(&sizes)
    );
    Ok(bytes)
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
/// let mut model = ch13_mnist::Mlp::<f32>::new(&[4, 3, 2], &mut seeded_rng::rng(0));
/// let contents = ch13_mnist::save::contents(&model.to_safetensors())?;
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
mod tests;
