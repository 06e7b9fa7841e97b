//! Gives K articles of a generated corpus (bench/gen_corpus.rs) a lead photo, for the
//! image benchmark (bench/images.sh):
//!
//! ```sh
//! cargo run --release --example gen_images -- 1000 /tmp/corpus [2400x1600]
//! ```
//!
//! Every (count/K)-th article, in path order, becomes a folder article:
//! `YYYY/<slug>.md` moves to `YYYY/<slug>/index.md` (same URL), with a `lead.jpg` beside it
//! and an `[image]` table in its front matter. Each JPEG (quality 90, 4:2:0, like a
//! camera's) is distinct and photo-like: smooth colour fields from a few waves whose
//! frequencies and phases come from the article's index, plus fine grain, so that no
//! encoder or cache can treat two alike. Deterministic; two threads.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[path = "splitmix.rs"]
mod splitmix;
use splitmix::Rng;

/// The RGB pixels of photo `i`.
fn photo(i: u64, width: u32, height: u32) -> Vec<u8> {
    let mut rng = Rng::seeded(0x1EAD_0000 ^ i.wrapping_mul(0x2545_F491_4F6C_DD1D));
    // Three waves per channel: frequency across, frequency down, phase, weight.
    let waves: Vec<[f32; 4]> = (0..9)
        .map(|_| {
            [
                rng.float(0.5, 6.0) / width as f32,
                rng.float(0.5, 6.0) / height as f32,
                rng.float(0.0, std::f32::consts::TAU),
                rng.float(20.0, 60.0),
            ]
        })
        .collect();
    let base: [f32; 3] = [
        rng.float(60.0, 190.0),
        rng.float(60.0, 190.0),
        rng.float(60.0, 190.0),
    ];
    let mut grain = rng.next();
    let mut out = Vec::with_capacity(width as usize * height as usize * 3);
    for y in 0..height {
        for x in 0..width {
            grain ^= grain << 13;
            grain ^= grain >> 7;
            grain ^= grain << 17;
            let noise = (grain & 0x1F) as f32 - 16.0;
            for (c, b) in base.iter().enumerate() {
                let mut v = *b + noise * 0.5;
                for [fx, fy, phase, weight] in &waves[c * 3..c * 3 + 3] {
                    let t = std::f32::consts::TAU * (fx * x as f32 + fy * y as f32) + phase;
                    v += weight * t.sin();
                }
                out.push(v.clamp(0.0, 255.0) as u8);
            }
        }
    }
    out
}

fn articles(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for year in fs::read_dir(root.join("content/articles"))? {
        let year = year?.path();
        if !year.is_dir() {
            continue;
        }
        for f in fs::read_dir(&year)? {
            let f = f?.path();
            if f.extension().is_some_and(|e| e == "md") {
                files.push(f);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Makes `file` a folder article with photo `i` as its lead image.
fn give_photo(file: &Path, i: u64, width: u32, height: u32) -> Result<(), String> {
    let text = fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let Some(end) = text[3..].find("\n+++").map(|at| at + 3) else {
        return Err(format!("{}: no front matter", file.display()));
    };
    let with_image = format!(
        "{}\n\n[image]\nsrc = \"lead.jpg\"\nalt = \"A generated photograph, number {i}\"\ncredit = \"Photo: gen_images\"{}",
        &text[..end],
        &text[end..]
    );
    let folder = file.with_extension("");
    fs::create_dir_all(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 90)
        .encode(
            &photo(i, width, height),
            width as u16,
            height as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .map_err(|e| e.to_string())?;
    fs::write(folder.join("lead.jpg"), jpeg).map_err(|e| e.to_string())?;
    fs::write(folder.join("index.md"), with_image).map_err(|e| e.to_string())?;
    fs::remove_file(file).map_err(|e| e.to_string())
}

fn run(k: usize, root: &Path, width: u32, height: u32) -> Result<(), String> {
    let files = articles(root).map_err(|e| format!("{}: {e}", root.display()))?;
    if k > files.len() {
        return Err(format!(
            "only {} articles in {}",
            files.len(),
            root.display()
        ));
    }
    let step = files.len() / k.max(1);
    let chosen: Vec<(u64, &PathBuf)> = (0..k).map(|n| (n as u64, &files[n * step])).collect();
    std::thread::scope(|s| {
        let workers: Vec<_> = chosen
            .chunks(k.div_ceil(2).max(1))
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .try_for_each(|(i, f)| give_photo(f, *i, width, height))
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|w| w.join().unwrap_or_else(|_| Err("a worker panicked".into())))
    })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let size = args.get(2).map_or("2400x1600", String::as_str);
    let parsed = (
        args.first().and_then(|k| k.parse::<usize>().ok()),
        args.get(1).map(PathBuf::from),
        size.split_once('x')
            .and_then(|(w, h)| Some((w.parse::<u16>().ok()?, h.parse::<u16>().ok()?))),
    );
    let (Some(k), Some(root), Some((w, h))) = parsed else {
        eprintln!("usage: cargo run --release --example gen_images -- K CORPUS [WIDTHxHEIGHT]");
        return ExitCode::from(2);
    };
    match run(k, &root, u32::from(w), u32::from(h)) {
        Ok(()) => {
            eprintln!(
                "gen_images: {k} lead photos of {w} x {h} in {}",
                root.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_images: {e}");
            ExitCode::FAILURE
        }
    }
}
