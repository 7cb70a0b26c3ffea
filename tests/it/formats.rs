//! Reports as they are published: .docx with real tables, web pages in UTF-8 and GBK, PDFs
//! whose tables are rebuilt from their layout, and hostile files refused quickly with a clear
//! message.

#![expect(
    clippy::unwrap_used,
    reason = "a test fails loudly on input it did not expect"
)]

use crate::common;

use std::fmt::Write as _;
use std::io::{Cursor, Read as _, Write as _};
use std::time::{Duration, Instant};

use nianbao::model::{Format, Report};
use nianbao::read::{ReadErrorKind, read_bytes};
use serde_json::Value as Json;

fn values(report: &Report) -> Vec<(String, Json)> {
    report
        .cells
        .keys()
        .map(|id| {
            (
                id.as_str().to_owned(),
                common::value_json(report, id.as_str()),
            )
        })
        .collect()
}

#[test]
fn published_reports_against_their_gold() {
    for file in [
        "r03_huaian_2024.pdf",
        "r09_shanghai_office_2019.html",
        "r17_fixture_hangzhou_style_2025.html",
    ] {
        let report = common::read(&common::path(&format!("tests/fixtures/corpus/{file}")));
        let name = file.split('.').next().unwrap();
        common::assert_gold(&report, &common::gold(name), name);
    }
    // r17 is clean: every cell read with confidence, and the cells know their place in the page.
    let report = common::read(&common::path(
        "tests/fixtures/corpus/r17_fixture_hangzhou_style_2025.html",
    ));
    assert_eq!(report.low_confidence_count(), 0);
    let origin = report.cells[&nianbao::template::CellId::parse("t3.new.natural").unwrap()]
        .origin
        .clone()
        .unwrap();
    assert_eq!(origin.table, 2);
}

fn gbk(text: &str) -> Vec<u8> {
    encoding_rs::GBK.encode(text).0.into_owned()
}

#[test]
fn a_gbk_page_reads_like_its_utf8_original() {
    let original = std::fs::read_to_string(common::path(
        "tests/fixtures/corpus/r17_fixture_hangzhou_style_2025.html",
    ))
    .unwrap();
    let utf8 = read_bytes("r17.html", original.as_bytes(), Format::Html).unwrap();
    let declared = original.replace("charset=\"utf-8\"", "charset=\"gb2312\"");
    let undeclared = original.replace("<meta charset=\"utf-8\">", "");
    for (what, page) in [
        ("declared gb2312", gbk(&declared)),
        ("no declaration", gbk(&undeclared)),
    ] {
        assert!(
            std::str::from_utf8(&page).is_err(),
            "{what}: the fixture really is GBK"
        );
        let report = read_bytes("r17-gbk.html", &page, Format::Html).unwrap();
        assert_eq!(values(&report), values(&utf8), "{what}");
        assert_eq!(
            report.meta.organization.as_deref(),
            Some("测试市"),
            "{what}"
        );
    }
}

/// The cells of the blank 2021 template `r04`, in `word/document.xml`, filled with `values`.
fn fill_template(values: &serde_json::Map<String, Json>) -> Vec<u8> {
    let template = std::fs::read(common::path(
        "tests/fixtures/corpus/r04_template_2021ed_blank.docx",
    ))
    .unwrap();
    let blank = read_bytes("r04.docx", &template, Format::Docx).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(&template)).unwrap();
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut cells: Vec<(std::ops::Range<usize>, String)> = blank
        .cells
        .iter()
        .filter_map(|(id, cell)| {
            let value = values.get(id.as_str())?;
            Some((cell.origin.clone()?.bytes?, value.to_string()))
        })
        .collect();
    assert_eq!(
        cells.len(),
        values.len(),
        "every cell of the template is located"
    );
    cells.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, value) in cells {
        let tc = &xml[range.clone()];
        let run = format!("<w:r><w:t>{value}</w:t></w:r>");
        let filled = if let Some(at) = tc.rfind("</w:p>") {
            format!("{}{run}{}", &tc[..at], &tc[at..])
        } else {
            let at = tc.rfind("<w:p").unwrap();
            let end = at + tc[at..].find("/>").unwrap();
            format!("{}>{run}</w:p>{}", &tc[..end], &tc[end + 2..])
        };
        xml.replace_range(range, &filled);
    }
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).unwrap();
        if name == "word/document.xml" {
            bytes = xml.clone().into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&bytes).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn the_blank_template_filled_with_a_reports_values_reads_back_exactly() {
    let template = std::fs::read(common::path(
        "tests/fixtures/corpus/r04_template_2021ed_blank.docx",
    ))
    .unwrap();
    let blank = read_bytes("r04.docx", &template, Format::Docx).unwrap();
    assert_eq!(blank.edition().as_str(), "2021");
    assert!(
        blank
            .cells
            .values()
            .all(|c| c.value.is_none() && c.reasons.iter().any(|r| r.code() == "blank")),
        "blank is blank"
    );

    for name in ["r12_pingtan_2021", "r17_fixture_hangzhou_style_2025"] {
        let gold = common::gold(name);
        let docx = fill_template(gold["cells"].as_object().unwrap());
        let report = read_bytes("filled.docx", &docx, Format::Docx).unwrap();
        for (id, want) in gold["cells"].as_object().unwrap() {
            let cell = &report.cells[&nianbao::template::CellId::parse(id).unwrap()];
            assert!(
                common::same(&common::value_json(&report, id), want),
                "{name} {id}: {cell:?}"
            );
            assert!(!cell.is_low_confidence(), "{name} {id}: {cell:?}");
        }
        let findings = nianbao::checks::check(&report);
        assert!(
            findings
                .iter()
                .all(|f| f.rule.code() != "T3-BALANCE" && f.rule.code() != "T3-ROW-TOTAL"),
            "{findings:?}"
        );
    }
}

#[test]
fn the_same_report_reads_the_same_in_every_format() {
    let gold = common::gold("r17_fixture_hangzhou_style_2025");
    let html = std::fs::read(common::path(
        "tests/fixtures/corpus/r17_fixture_hangzhou_style_2025.html",
    ))
    .unwrap();
    let from_html = read_bytes("r17.html", &html, Format::Html).unwrap();
    let from_gbk = read_bytes(
        "r17.html",
        &gbk(&String::from_utf8(html.clone()).unwrap()),
        Format::Html,
    )
    .unwrap();
    let from_docx = read_bytes(
        "r17.docx",
        &fill_template(gold["cells"].as_object().unwrap()),
        Format::Docx,
    )
    .unwrap();
    // The text a .docx converter would give: the document written out with one cell per line.
    let text = nianbao::read::load_bytes("r17.html", &html, Format::Html)
        .unwrap()
        .text;
    let from_text = read_bytes("r17.txt", text.as_bytes(), Format::Txt).unwrap();
    // A text-layer PDF printed from the page by LibreOffice (`scripts/make-pdf-fixture.sh`).
    let pdf = std::fs::read(common::path("tests/fixtures/scans/r17_text_layer.pdf")).unwrap();
    let from_pdf = read_bytes("r17.pdf", &pdf, Format::Pdf).unwrap();
    // Typeset with ruled, merged tables by fpdf2, glyph by glyph, a table across a page break
    // (`scripts/make-ruled-pdf-fixture.py`).
    let ruled = std::fs::read(common::path("tests/fixtures/scans/r17_ruled.pdf")).unwrap();
    let from_ruled = read_bytes("r17_ruled.pdf", &ruled, Format::Pdf).unwrap();
    for (what, report) in [
        ("gbk", &from_gbk),
        ("docx", &from_docx),
        ("txt", &from_text),
        ("pdf", &from_pdf),
        ("ruled pdf", &from_ruled),
    ] {
        assert_eq!(values(report), values(&from_html), "{what}");
    }
}

/// A PDF's pages with the text of every page written in reverse order of its text objects, the
/// font set first and the rules kept: the page looks the same, its text stream does not.
fn with_text_order_reversed(bytes: &[u8]) -> Vec<u8> {
    use pdf_extract::content::{Content, Operation};
    let mut pdf = pdf_extract::Document::load_mem(bytes).unwrap();
    for (_, page) in pdf.get_pages() {
        let content = Content::decode(&pdf.get_page_content(page).unwrap()).unwrap();
        let (mut setup, mut texts, mut current): (Vec<Operation>, Vec<Vec<Operation>>, Vec<_>) =
            (Vec::new(), Vec::new(), Vec::new());
        let mut in_text = false;
        for op in content.operations {
            match op.operator.as_str() {
                "BT" => {
                    in_text = true;
                    current = vec![op];
                }
                "ET" => {
                    in_text = false;
                    current.push(op);
                    let shows = current
                        .iter()
                        .any(|o| o.operator == "Tj" || o.operator == "TJ");
                    if shows {
                        texts.push(std::mem::take(&mut current));
                    } else if setup.iter().all(|o| o.operator != "Tf") {
                        setup.append(&mut current);
                    }
                }
                _ if in_text => current.push(op),
                _ => setup.push(op),
            }
        }
        assert!(texts.len() > 10, "the page has text objects to reorder");
        texts.reverse();
        setup.extend(texts.into_iter().flatten());
        let encoded = Content { operations: setup }.encode().unwrap();
        pdf.change_page_content(page, encoded).unwrap();
    }
    let mut out = Vec::new();
    pdf.save_to(&mut out).unwrap();
    out
}

#[test]
fn pdf_tables_come_from_the_layout_not_the_text_order() {
    let ruled = std::fs::read(common::path("tests/fixtures/scans/r17_ruled.pdf")).unwrap();
    let in_order = read_bytes("r17_ruled.pdf", &ruled, Format::Pdf).unwrap();
    let reversed = with_text_order_reversed(&ruled);
    assert_ne!(reversed, ruled);
    let scrambled = read_bytes("reversed.pdf", &reversed, Format::Pdf).unwrap();
    assert_eq!(values(&scrambled), values(&in_order));
    // Every cell sure, and each knows its box on its page; 表三 runs over two pages.
    for report in [&in_order, &scrambled] {
        assert_eq!(report.low_confidence_count(), 0);
        let page_of = |id: &str| {
            report.cells[&nianbao::template::CellId::parse(id).unwrap()]
                .origin
                .as_ref()
                .and_then(|o| o.area)
                .unwrap()
                .page
        };
        assert_eq!(page_of("t3.new.natural"), 1);
        assert_eq!(page_of("t3.granted.total"), 2);
    }
    // The published PDF (WPS, rules as strokes, the tables over three pages) reads exactly.
    let r03 = common::read(&common::path("tests/fixtures/corpus/r03_huaian_2024.pdf"));
    assert_eq!(r03.low_confidence_count(), 0);
    assert!(
        r03.cells
            .values()
            .all(|c| c.origin.as_ref().is_some_and(|o| o.area.is_some()))
    );
}

fn refused_quickly(name: &str, bytes: &[u8], format: Format) -> ReadErrorKind {
    let start = Instant::now();
    let error = read_bytes(name, bytes, format).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{name} took {:?}",
        start.elapsed()
    );
    assert!(
        error.to_string().starts_with(name),
        "the message names the file: {error}"
    );
    error.kind
}

#[test]
fn hostile_files_are_refused_with_a_clear_message() {
    // A zip bomb: 64 MB of zeros that compress to almost nothing.
    let mut bomb = zip::ZipWriter::new(Cursor::new(Vec::new()));
    bomb.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated),
    )
    .unwrap();
    let zeros = vec![b'0'; 1 << 20];
    for _ in 0..64 {
        bomb.write_all(&zeros).unwrap();
    }
    let bomb = bomb.finish().unwrap().into_inner();
    assert!(bomb.len() < 1 << 20, "the bomb is small: {}", bomb.len());
    let kind = refused_quickly("bomb.docx", &bomb, Format::Docx);
    assert!(
        matches!(
            kind,
            ReadErrorKind::Docx(nianbao::read::docx::DocxError::TooLarge)
        ),
        "{kind:?}"
    );

    // A binary file with a .docx name, and a .docx cut short.
    let kind = refused_quickly(
        "program.docx",
        b"\x7fELF\x02\x01\x01\x00 not a document",
        Format::Docx,
    );
    assert!(
        matches!(
            kind,
            ReadErrorKind::Docx(nianbao::read::docx::DocxError::NotZip(_))
        ),
        "{kind:?}"
    );
    let template = std::fs::read(common::path(
        "tests/fixtures/corpus/r04_template_2021ed_blank.docx",
    ))
    .unwrap();
    let kind = refused_quickly("cut.docx", &template[..template.len() / 2], Format::Docx);
    assert!(matches!(kind, ReadErrorKind::Docx(_)), "{kind:?}");

    // An XML entity bomb: entities are never expanded, so it is just a document without tables.
    let mut lol = zip::ZipWriter::new(Cursor::new(Vec::new()));
    lol.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let mut xml = String::from("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for i in 1..10 {
        let previous = if i == 1 {
            "lol".to_owned()
        } else {
            format!("lol{}", i - 1)
        };
        let _ = write!(
            xml,
            "<!ENTITY lol{i} \"{}\">",
            format!("&{previous};").repeat(10)
        );
    }
    xml.push_str(
        "]><w:document><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>",
    );
    lol.write_all(xml.as_bytes()).unwrap();
    let lol = lol.finish().unwrap().into_inner();
    let kind = refused_quickly("lol.docx", &lol, Format::Docx);
    assert_eq!(kind, ReadErrorKind::NotTemplate);

    // A 500 MB file is refused by its size, before a byte is read.
    let dir = tempfile::tempdir().unwrap();
    let huge = dir.path().join("huge.txt");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(500 * 1024 * 1024)
        .unwrap();
    let start = Instant::now();
    let error = nianbao::read::read_file(&huge).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(1));
    assert!(
        matches!(error.kind, ReadErrorKind::TooLarge { .. }),
        "{error}"
    );
    assert!(error.to_string().contains("too large"), "{error}");

    // A truncated PDF, and a file that only claims to be one.
    let pdf = std::fs::read(common::path("tests/fixtures/corpus/r03_huaian_2024.pdf")).unwrap();
    let kind = refused_quickly("cut.pdf", &pdf[..pdf.len() / 3], Format::Pdf);
    assert!(
        matches!(
            kind,
            ReadErrorKind::Pdf(nianbao::read::pdf::PdfError::Damaged(_))
        ),
        "{kind:?}"
    );
    let kind = refused_quickly("fake.pdf", b"GIF89a not a pdf", Format::Pdf);
    assert!(
        matches!(
            kind,
            ReadErrorKind::Pdf(nianbao::read::pdf::PdfError::NotPdf)
        ),
        "{kind:?}"
    );
}

/// Whether everything reading a scan needs is installed: Tesseract with its Chinese model,
/// pdftoppm, and the table recognizer's model with ONNX Runtime.
fn ocr_installed() -> bool {
    common::tesseract_installed()
        && common::pdftoppm_installed()
        && nianbao::read::ocr::engine::find_model().is_some()
        && nianbao::read::ocr::engine::find_runtime().is_some()
}

/// Without an engine, a scan is refused with what to install, as a problem with the machine
/// rather than with the file.
fn assert_names_what_to_install(error: &nianbao::read::ReadError) {
    let text = error.to_string();
    assert!(
        text.contains("apt-get install") || text.contains("bash scripts/setup-debian.sh ocr"),
        "{text}"
    );
    assert!(error.is_io(), "{text}");
}

/// A fixture copied into a folder of its own, so that what OCR keeps beside it (in
/// `nianbao-records/ocr/`) stays out of the source tree.
fn copied(fixture: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let name = std::path::Path::new(fixture).file_name().unwrap();
    let to = dir.path().join(name);
    std::fs::copy(common::path(fixture), &to).unwrap();
    (dir, to)
}

/// A scanned page of r17 (made by `scripts/make-scan-fixture.py`), as an image and as a PDF
/// without a text layer: every cell is right or flagged, most are right, and OCR confidence
/// feeds each cell; without the engines, what to install is named.
#[test]
fn a_scanned_page_reads_like_its_text_or_is_flagged() {
    for file in ["r17_page.png", "r17_scan.pdf"] {
        let (_dir, page) = copied(&format!("tests/fixtures/scans/{file}"));
        if !ocr_installed() {
            if let Err(error) = nianbao::read::read_file(&page) {
                assert_names_what_to_install(&error);
            }
            continue;
        }
        // Read as the window reads, while something else watches how far it has got.
        let reading = {
            let page = page.clone();
            nianbao::work::spawn("reading a scan", move || common::read(&page)).unwrap()
        };
        let key = page.to_string_lossy().into_owned();
        let mut seen = Vec::new();
        while !reading.is_finished() {
            seen.extend(
                nianbao::read::progress::under_way()
                    .into_iter()
                    .filter(|(p, _)| *p == key)
                    .map(|(_, pages)| (pages.done, pages.of)),
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        let report = reading.join().unwrap();
        if file == "r17_scan.pdf" {
            assert!(
                seen.iter().all(|&(done, of)| of == 1 && done <= of) && !seen.is_empty(),
                "{file}: the pages done are reported as they are read: {seen:?}"
            );
        }
        assert!(
            nianbao::read::progress::under_way()
                .iter()
                .all(|(p, _)| *p != key),
            "{file}: a reading over is not under way"
        );
        let gold = common::gold("r17_fixture_hangzhou_style_2025");
        common::assert_gold(&report, &gold, file);
        let right = common::right_count(&report, &gold);
        assert!(
            right >= 180,
            "{file}: OCR should read most cells right: {right} of 200"
        );
        let cell = &report.cells[&nianbao::template::CellId::parse("t3.new.total").unwrap()];
        assert!(
            cell.reasons
                .iter()
                .any(|r| r.code().starts_with("ocr_confi")),
            "{file}: OCR confidence feeds the cell: {cell:?}"
        );
        assert!(
            cell.image_box
                .is_some_and(|b| b.page == 1 && b.width > 0 && b.height > 0),
            "{file}: a box on the page: {cell:?}"
        );
    }
}

#[test]
fn a_ruled_scan_is_read_cell_by_cell_from_its_rules() {
    // The ruled PDF printed and scanned: its two pages as one tall grey image.
    let printed = std::fs::read(common::path("tests/fixtures/scans/r17_ruled.pdf")).unwrap();
    let rasterized = nianbao::read::ocr::rasterize(&printed);
    if !common::pdftoppm_installed() {
        let error = rasterized.unwrap_err().to_string();
        assert!(error.contains("poppler-utils"), "{error}");
        return;
    }
    let pages: Vec<image::GrayImage> = rasterized
        .unwrap()
        .iter()
        .map(|png| image::load_from_memory(png).unwrap().to_luma8())
        .collect();
    let width = pages.iter().map(image::GrayImage::width).max().unwrap();
    let height = pages.iter().map(image::GrayImage::height).sum();
    let mut scan = image::GrayImage::from_pixel(width, height, image::Luma([255]));
    let mut top = 0;
    for page in &pages {
        image::imageops::replace(&mut scan, page, 0, i64::from(top));
        top += page.height();
    }
    let rules = nianbao::read::ocr::page::rules(&scan);
    assert!(
        rules.len() > 30,
        "the table rules are found: {}",
        rules.len()
    );
    let mut png = Vec::new();
    scan.write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r17_ruled.png");
    let read = read_bytes(&path.to_string_lossy(), &png, Format::Image);
    if !ocr_installed() {
        assert_names_what_to_install(&read.unwrap_err());
        return;
    }
    let report = read.unwrap();
    let gold = common::gold("r17_fixture_hangzhou_style_2025");
    common::assert_gold(&report, &gold, "ruled scan");
    let right = common::right_count(&report, &gold);
    assert!(right >= 190, "most cells read right: {right} of 200");
    // Each cell is the box between its rules, and takes the confidence of the words in it.
    let cell = &report.cells[&nianbao::template::CellId::parse("t3.new.total").unwrap()];
    let area = cell.origin.as_ref().and_then(|o| o.area).unwrap();
    let shown = cell.image_box.unwrap();
    assert_eq!(shown.page, 1);
    assert!((f64::from(shown.left) - f64::from(area.left)).abs() < 1.0);
    assert!(
        cell.reasons
            .iter()
            .any(|r| r.code().starts_with("ocr_confi"))
    );
}

/// r03 printed and scanned at 300 dpi (turned, blurred, noisy, JPEG): as a person reads it.
/// At least 95 % of the cells right and not flagged, none wrong without a flag; read once,
/// then taken from what OCR kept beside it.
#[test]
fn an_office_scan_reads_as_a_person_reads_it_and_only_once() {
    let (dir, scan) = copied("tests/fixtures/corpus/r03_huaian_2024_scan.pdf");
    if !ocr_installed() {
        if let Err(error) = nianbao::read::read_file(&scan) {
            assert_names_what_to_install(&error);
        }
        return;
    }
    let report = common::read(&scan);
    let gold: Json = serde_json::from_str(
        &std::fs::read_to_string(common::path(
            "tests/fixtures/corpus/r03_huaian_2024_scan.gold.json",
        ))
        .unwrap(),
    )
    .unwrap();
    common::assert_gold(&report, &gold, "r03 scan");
    let unflagged_right = gold["cells"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|id| {
            let cell = &report.cells[&nianbao::template::CellId::parse(id).unwrap()];
            !cell.is_low_confidence() && common::value_json(&report, id) == gold["cells"][*id]
        })
        .count();
    assert!(
        unflagged_right >= 190,
        "at least 95 % right and not flagged: {unflagged_right} of 200"
    );
    // Kept by the file's digest: the second reading is the first, without the engines.
    let kept = dir
        .path()
        .join("nianbao-records/ocr")
        .join(format!("{}.json", report.source.sha256));
    assert!(kept.is_file(), "{}", kept.display());
    let again = common::read(&scan);
    assert_eq!(again.cells, report.cells);
    // What is kept is what is used: a kept reading changed by hand shows in the next reading.
    let total = nianbao::template::CellId::parse("t3.new.total").unwrap();
    assert_eq!(
        report.value(total),
        Some(nianbao::model::Value::Count(3119))
    );
    let entry = std::fs::read_to_string(&kept).unwrap();
    assert!(entry.contains("\"3119\""), "a glyph reads 3119");
    std::fs::write(&kept, entry.replace("\"3119\"", "\"3118\"")).unwrap();
    let changed = common::read(&scan);
    assert_eq!(
        changed.value(total),
        Some(nianbao::model::Value::Count(3118))
    );
}

#[test]
fn a_label_numeral_lost_by_ocr_does_not_take_the_last_digit_of_a_number() {
    let html = std::fs::read(common::path(
        "tests/fixtures/corpus/r17_fixture_hangzhou_style_2025.html",
    ))
    .unwrap();
    let text = nianbao::read::load_bytes("r17.html", &html, Format::Html)
        .unwrap()
        .text;
    // The row after 3222 loses its "2.", as OCR does.
    assert!(text.contains("\t3222\n"));
    let damaged = text.replacen("2.没有现成信息需要另行制作", "没有现成信息需要另行制作", 1);
    assert_ne!(damaged, text);
    let report = read_bytes("r17.txt", damaged.as_bytes(), Format::Txt).unwrap();
    assert_eq!(
        common::value_json(&report, "t3.unable.not_held.total"),
        serde_json::json!(3222)
    );
    assert_eq!(
        common::value_json(&report, "t3.unable.needs_creation.natural"),
        serde_json::json!(177)
    );
}

/// r17's ruled PDF made into an office scan by `scripts/make-office-scan.py` (300 dpi, pages
/// turned 0.9° and −0.6°, blurred, noisy, JPEG 70): none wrong without a flag, nearly all right.
#[test]
fn a_turned_noisy_office_scan_of_ruled_tables_is_read() {
    let (_dir, scan) = copied("tests/fixtures/scans/r17_ruled_office_scan.pdf");
    if !ocr_installed() {
        if let Err(error) = nianbao::read::read_file(&scan) {
            assert_names_what_to_install(&error);
        }
        return;
    }
    let report = common::read(&scan);
    let gold = common::gold("r17_fixture_hangzhou_style_2025");
    common::assert_gold(&report, &gold, "r17 office scan");
    let right = common::right_count(&report, &gold);
    assert!(right >= 190, "nearly all right: {right} of 200");
}

/// Every gold cell right and none flagged.
fn assert_all_right_and_unflagged(report: &Report, gold: &Json, what: &str) {
    let mut bad = Vec::new();
    for (id, want) in gold["cells"].as_object().unwrap() {
        let cell = &report.cells[&nianbao::template::CellId::parse(id).unwrap()];
        let got = common::value_json(report, id);
        if !common::same(&got, want) || cell.is_low_confidence() {
            bad.push(format!(
                "{id}: got {got} (flagged: {}), gold {want}",
                cell.is_low_confidence()
            ));
        }
    }
    assert!(bad.is_empty(), "{what}:\n{}", bad.join("\n"));
}

#[test]
fn a_markdown_conversion_reads_like_its_pdf() {
    let path = common::path("tests/fixtures/corpus/r03_huaian_2024_md.md");
    let gold = common::gold("r03_huaian_2024_md");
    let report = common::read(&path);
    assert_eq!(report.source.format, Format::Markdown);
    common::assert_gold(&report, &gold, "r03 md");
    assert_all_right_and_unflagged(&report, &gold, "r03 md");
    // Each cell points at its own bytes in the file: the pipe-table cell that holds its number.
    let bytes = std::fs::read(&path).unwrap();
    let text = std::str::from_utf8(&bytes).unwrap();
    for (id, want) in [("t3.new.total", "3119"), ("t2.fees.amount", "96171.6")] {
        let cell = &report.cells[&nianbao::template::CellId::parse(id).unwrap()];
        let origin = cell.origin.as_ref().unwrap();
        let span = origin.bytes.clone().unwrap();
        assert_eq!(text[span.clone()].trim_matches('|').trim(), want, "{id}");
        // …and the line it is on, which the reviewer is told.
        let line = text[..span.start].matches('\n').count() + 1;
        assert_eq!(origin.line, Some(line), "{id}");
        assert!(
            origin
                .describe(nianbao::lang::Lang::Zh)
                .ends_with(&format!("（文件第{line}行）"))
        );
    }
    // A converter's output saved as .txt is recognised as Markdown all the same.
    let as_txt = read_bytes("r03.txt", &bytes, Format::Txt).unwrap();
    assert_eq!(values(&as_txt), values(&report));
}

#[test]
fn converter_damage_is_repaired_from_the_template_or_flagged() {
    let r03 = common::gold("r03_huaian_2024_md");
    // Hand-damaged copies of r03: every cell right and unflagged.
    for file in [
        "r03_per_row_tables.md",
        "r03_mislabelled_headers.md",
        "r03_split_tables.md",
    ] {
        let report = common::read(&common::path(&format!("tests/fixtures/markdown/{file}")));
        assert_all_right_and_unflagged(&report, &r03, file);
    }
    // Web pages through two real converters (pandoc's keeps a complex table as HTML inside the
    // Markdown; markdownify drops the spans): right or flagged, never confidently wrong.
    for (file, gold, clean) in [
        (
            "r17_fixture_hangzhou_style_2025_markdownify.md",
            "r17_fixture_hangzhou_style_2025",
            true,
        ),
        (
            "r17_fixture_hangzhou_style_2025_pandoc.md",
            "r17_fixture_hangzhou_style_2025",
            true,
        ),
        (
            "r09_shanghai_office_2019_markdownify.md",
            "r09_shanghai_office_2019",
            false,
        ),
        (
            "r09_shanghai_office_2019_pandoc.md",
            "r09_shanghai_office_2019",
            false,
        ),
    ] {
        let report = common::read(&common::path(&format!("tests/fixtures/markdown/{file}")));
        let gold = common::gold(gold);
        if clean {
            assert_all_right_and_unflagged(&report, &gold, file);
        } else {
            let mut wrong = Vec::new();
            for (id, want) in gold["cells"].as_object().unwrap() {
                let cell = &report.cells[&nianbao::template::CellId::parse(id).unwrap()];
                if !common::same(&common::value_json(&report, id), want)
                    && !cell.is_low_confidence()
                {
                    wrong.push(id.clone());
                }
            }
            assert!(wrong.is_empty(), "{file}: wrong and not flagged: {wrong:?}");
        }
    }
    // pandoc drops the page's <title>: no body is named rather than a sentence of the prose.
    let pandoc = common::read(&common::path(
        "tests/fixtures/markdown/r17_fixture_hangzhou_style_2025_pandoc.md",
    ));
    assert_eq!(pandoc.meta.organization, None);
}

#[test]
fn a_markdown_file_with_a_hostile_html_table_is_refused_with_its_line() {
    let mut md = String::from("# 报告\n\n正文\n\n");
    md.push_str(&"<div>".repeat(5000));
    md.push('\n');
    let err = read_bytes("deep.md", md.as_bytes(), Format::Markdown).unwrap_err();
    assert_eq!(err.code(), "too_deep");
    assert!(err.to_string().contains("line 5"), "{err}");
}
