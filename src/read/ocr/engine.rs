//! The recognizer: `PaddleOCR`'s PP-OCRv6 small text-line model (Apache-2.0), run in pure Rust by
//! `tract-onnx`, with no C library and nothing fetched at run time. It reads one line of print
//! (a table cell's number or label) from its image and says how sure it is of each character.
//!
//! The model file comes from the `PyPI` wheel `rapidocr` 3.10.0 (`scripts/setup-debian.sh ocr`
//! installs it); its alphabet is in the file's own metadata. A line image is scaled to the
//! model's height of 48 pixels and padded to one of a few widths, so that an optimized plan is
//! made once per width and kept for the rest of the run.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use image::GrayImage;
use tract_onnx::prelude::*;

/// The model's file name.
pub const MODEL_FILE: &str = "PP-OCRv6_rec_small.onnx";
/// Where `scripts/setup-debian.sh ocr` puts the model for everyone.
pub const SYSTEM_MODELS: &str = "/usr/local/share/nianbao/models";
/// The model's input height in pixels.
const HEIGHT: u32 = 48;
/// The widths a line image is padded to (pixels at the model's height). A line wider than the
/// last is scaled down to it.
const WIDTHS: [u32; 8] = [64, 128, 192, 256, 384, 512, 768, 1024];

/// One line as read: its text and the recognizer's probability for each character.
#[derive(Debug, Clone, PartialEq)]
pub struct LineText {
    /// The characters read.
    pub text: String,
    /// The probability of each character, 0–1, in order.
    pub scores: Vec<f32>,
}

impl LineText {
    /// How sure the recognizer is of the whole line, 0–100: its least sure character.
    #[must_use]
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "a probability times 100"
    )]
    pub fn confidence(&self) -> u8 {
        let least = self.scores.iter().copied().fold(1.0_f32, f32::min);
        (least * 100.0).floor().clamp(0.0, 100.0) as u8
    }
}

/// The folders searched for the model, in order: the user's data folder, the system-wide
/// folder, and `models/` beside the program; or only `NIANBAO_MODELS` when that is set.
#[must_use]
pub fn model_folders() -> Vec<PathBuf> {
    if let Some(dir) = std::env::var_os("NIANBAO_MODELS") {
        return vec![PathBuf::from(dir)];
    }
    let mut out = Vec::new();
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".local/share")));
    if let Some(data) = data {
        out.push(data.join("nianbao/models"));
    }
    out.push(PathBuf::from(SYSTEM_MODELS));
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|e| e.parent().map(Path::to_path_buf))
    {
        out.push(dir.join("models"));
    }
    out
}

/// The model file, where it is installed.
#[must_use]
pub fn find_model() -> Option<PathBuf> {
    model_folders()
        .into_iter()
        .map(|d| d.join(MODEL_FILE))
        .find(|p| p.is_file())
}

/// The loaded model and the plans made from it so far.
pub struct Recognizer {
    model: TypedModel,
    width: Symbol,
    alphabet: Vec<String>,
    plans: Mutex<HashMap<u32, Arc<TypedRunnableModel>>>,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer")
            .field("alphabet", &self.alphabet.len())
            .finish_non_exhaustive()
    }
}

impl Recognizer {
    /// Loads the model file.
    ///
    /// # Errors
    /// When the file is not the model this expects (no alphabet, not ONNX).
    pub fn load(path: &Path) -> Result<Recognizer, String> {
        let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", path.display());
        let onnx = tract_onnx::onnx();
        let mut proto = onnx.proto_model_for_path(path).map_err(|e| fail(&e))?;
        let alphabet: Vec<String> = proto
            .metadata_props
            .iter()
            .find(|p| p.key == "character")
            .map(|p| p.value.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        if alphabet.is_empty() {
            return Err(fail(
                &"no alphabet in the model's metadata (key `character`)",
            ));
        }
        // The shapes the exporter recorded inside the graph contradict its dynamic width;
        // tract infers them again from the input.
        if let Some(graph) = proto.graph.as_mut() {
            graph.value_info.clear();
        }
        let model = onnx.model_for_proto_model(&proto).map_err(|e| fail(&e))?;
        let width = model.symbols.sym("W");
        let model = model
            .with_input_fact(
                0,
                f32::fact([1.to_dim(), 3.to_dim(), 48.to_dim(), width.to_dim()]).into(),
            )
            .and_then(InferenceModelExt::into_typed)
            .and_then(TypedModel::into_decluttered)
            .map_err(|e| fail(&e))?;
        Ok(Recognizer {
            model,
            width,
            alphabet,
            plans: Mutex::new(HashMap::new()),
        })
    }

    /// The plan for one input width, made the first time it is needed.
    fn plan(&self, width: u32) -> TractResult<Arc<TypedRunnableModel>> {
        if let Some(plan) = self
            .plans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&width)
        {
            return Ok(plan.clone());
        }
        let values = HashMap::from([(self.width.clone(), TDim::from(i64::from(width)))]);
        let plan = self
            .model
            .set_symbols(&values)?
            .into_optimized()?
            .into_runnable()?;
        self.plans
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(width, plan.clone());
        Ok(plan)
    }

    /// Reads one line of print from its image.
    ///
    /// # Errors
    /// When the model fails to run on it.
    #[expect(
        clippy::cast_precision_loss,
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "image sizes, small and non-negative"
    )]
    pub fn read(&self, line: &GrayImage) -> Result<LineText, String> {
        let (w, h) = line.dimensions();
        if w == 0 || h == 0 {
            return Ok(LineText {
                text: String::new(),
                scores: Vec::new(),
            });
        }
        // A short line (one digit) gets white space beside it: alone in a crop as narrow as
        // it is tall, a digit is too often read as nothing.
        let padded_line;
        let line = if w < h * 2 {
            let mut wide = GrayImage::from_pixel(h * 2, h, image::Luma([255]));
            image::imageops::replace(&mut wide, line, i64::from(h - w / 2), 0);
            padded_line = wide;
            &padded_line
        } else {
            line
        };
        let (w, h) = line.dimensions();
        let last = WIDTHS[WIDTHS.len() - 1];
        let scaled = ((w as f32 * HEIGHT as f32 / h as f32).ceil() as u32).clamp(8, last);
        let padded = WIDTHS
            .iter()
            .copied()
            .find(|&p| p >= scaled)
            .unwrap_or(last);
        let small =
            image::imageops::resize(line, scaled, HEIGHT, image::imageops::FilterType::Triangle);
        let (pw, ph) = (padded as usize, HEIGHT as usize);
        // Three equal channels, scaled to -1..1; the padding is 0, as the model was trained.
        let mut data = vec![0.0_f32; 3 * ph * pw];
        for (x, y, pixel) in small.enumerate_pixels() {
            let v = f32::from(pixel[0]) / 127.5 - 1.0;
            for c in 0..3 {
                data[(c * ph + y as usize) * pw + x as usize] = v;
            }
        }
        let input = tract_ndarray::Array4::from_shape_vec((1, 3, ph, pw), data)
            .map_err(|e| e.to_string())?;
        let run = || -> TractResult<LineText> {
            let out = self.plan(padded)?.run(tvec!(Tensor::from(input).into()))?;
            let shape = out[0].shape();
            let classes = shape.get(2).copied().unwrap_or(1).max(1);
            Ok(self.decode(out[0].try_as_plain_ram()?.as_slice::<f32>()?, classes))
        };
        run().map_err(|e| e.to_string())
    }

    /// The characters of the most likely path: repeats collapsed, blanks (index 0) dropped.
    fn decode(&self, probs: &[f32], classes: usize) -> LineText {
        let mut text = String::new();
        let mut scores = Vec::new();
        let mut previous = 0;
        for row in probs.chunks_exact(classes) {
            let (best, p) = row
                .iter()
                .enumerate()
                .fold((0, f32::MIN), |a, (i, &v)| if v > a.1 { (i, v) } else { a });
            if best != 0 && best != previous {
                // Past the alphabet is the space the exporter appended.
                text.push_str(self.alphabet.get(best - 1).map_or(" ", String::as_str));
                scores.push(p);
            }
            previous = best;
        }
        LineText { text, scores }
    }
}
