//! The two languages everything the program says comes in: Chinese, the default, and English.
//! One type for the command line, the window and the domain's messages.

use serde::{Deserialize, Serialize};

/// A language of the program's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// 中文, the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// One of two texts: the Chinese or the English.
    #[must_use]
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The other language, for the switch in the window.
    #[must_use]
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// Something that can say itself in either language: an error, a reason, a doubt.
pub trait Localized {
    /// In Chinese.
    fn zh(&self) -> String;
    /// In English.
    fn en(&self) -> String;
    /// In `lang`.
    fn text(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}
