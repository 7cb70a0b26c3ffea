//! The recognizer: `PaddleOCR`'s PP-OCRv6 small text-line model (Apache-2.0), run by ONNX
//! Runtime, loaded from the library file installed beside the model (the `ort` crate's
//! `load-dynamic`: nothing is downloaded when building or running). It reads one line of print
//! (a table cell's number or label) from its image and says how sure it is of each character.
//!
//! The model file comes from the `PyPI` wheel `rapidocr` 3.10.0 and the runtime from the wheel
//! `onnxruntime` 1.32.0 (`scripts/setup-debian.sh ocr` installs both, their digests checked); the
//! model's alphabet is in its own metadata. ONNX Runtime rather than the pure-Rust `tract`: with
//! `tract` the clean release build took 20 minutes on 2 cores, over the 15 the project allows
//! (14 without it), and a reading process needed 1.6 GB instead of 0.3; a page's lines read as
//! fast. A line image is scaled to the model's height of 48 pixels and padded to one of a few
//! widths, as the model was trained to read.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use image::GrayImage;
use ort::session::Session;
use ort::session::builder::GraphOptimizationLevel;
use ort::value::Tensor;

/// The model's file name.
pub const MODEL_FILE: &str = "PP-OCRv6_rec_small.onnx";
/// ONNX Runtime's library file, the version `scripts/setup-debian.sh ocr` installs.
#[cfg(target_os = "windows")]
pub const RUNTIME_FILE: &str = "onnxruntime.dll";
/// ONNX Runtime's library file, the version `scripts/setup-debian.sh ocr` installs.
#[cfg(target_os = "macos")]
pub const RUNTIME_FILE: &str = "libonnxruntime.1.32.0.dylib";
/// ONNX Runtime's library file, the version `scripts/setup-debian.sh ocr` installs.
#[cfg(not(any(target_os = "windows", target_os = "macos")))]
pub const RUNTIME_FILE: &str = "libonnxruntime.so.1.32.0";
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

/// The first folder holding `file`.
fn find(file: &str) -> Option<PathBuf> {
    model_folders()
        .into_iter()
        .map(|d| d.join(file))
        .find(|p| p.is_file())
}

/// The model file, where it is installed.
#[must_use]
pub fn find_model() -> Option<PathBuf> {
    find(MODEL_FILE)
}

/// ONNX Runtime's library file, where it is installed.
#[must_use]
pub fn find_runtime() -> Option<PathBuf> {
    find(RUNTIME_FILE)
}

/// The loaded model: its alphabet and the sessions made from it so far, one per thread reading
/// at the same time (a session runs one line at a time, each on one core).
pub struct Recognizer {
    model: Vec<u8>,
    alphabet: Vec<String>,
    idle: Mutex<Vec<Session>>,
    /// ONNX Runtime's environment, which every session is made in.
    environment: ort::environment::Environment,
}

impl std::fmt::Debug for Recognizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recognizer")
            .field("alphabet", &self.alphabet.len())
            .finish_non_exhaustive()
    }
}

impl Recognizer {
    /// Loads ONNX Runtime from its library file, then the model file.
    ///
    /// # Errors
    /// When the library is not ONNX Runtime 1.22 or later, or the file is not the model this
    /// expects (no alphabet, not ONNX).
    pub fn load(model: &Path, runtime: &Path) -> Result<Recognizer, String> {
        let environment = ort::init_from(runtime)
            .map_err(|e| format!("{}: {e}", runtime.display()))?
            .with_name("nianbao")
            .with_telemetry(false)
            .build()
            .map_err(|e| format!("{}: {e}", runtime.display()))?;
        let fail = |e: &dyn std::fmt::Display| format!("{}: {e}", model.display());
        let bytes = std::fs::read(model).map_err(|e| fail(&e))?;
        let session = session(&environment, &bytes).map_err(|e| fail(&e))?;
        let alphabet: Vec<String> = session
            .metadata()
            .ok()
            .and_then(|m| m.custom("character"))
            .map(|c| c.lines().map(str::to_owned).collect())
            .unwrap_or_default();
        if alphabet.is_empty() {
            return Err(fail(
                &"no alphabet in the model's metadata (key `character`)",
            ));
        }
        Ok(Recognizer {
            model: bytes,
            alphabet,
            idle: Mutex::new(vec![session]),
            environment,
        })
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
        let input = Tensor::from_array(([1, 3, ph, pw], data)).map_err(|e| e.to_string())?;
        // A session no other thread is using, or a new one.
        let taken = self
            .idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        let mut session = match taken {
            Some(session) => session,
            None => session(&self.environment, &self.model).map_err(|e| e.to_string())?,
        };
        let read = session
            .run(ort::inputs![input])
            .and_then(|out| {
                let (shape, probs) = out[0].try_extract_tensor::<f32>()?;
                let classes = shape
                    .get(2)
                    .and_then(|&c| usize::try_from(c).ok())
                    .unwrap_or(1)
                    .max(1);
                Ok(self.decode(probs, classes))
            })
            .map_err(|e| e.to_string());
        self.idle
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(session);
        read
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

/// A session of the model that runs a line on one core: the lines of a page are spread over
/// the cores by the caller, which is faster for many small inputs than splitting each.
fn session(environment: &ort::environment::Environment, model: &[u8]) -> ort::Result<Session> {
    Session::builder(environment)?
        .with_optimization_level(GraphOptimizationLevel::Level3)?
        .with_intra_threads(1)?
        .with_inter_threads(1)?
        .commit_from_memory(model)
}
