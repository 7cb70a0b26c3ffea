//! The editions of the State Council's template, as data: row labels and roles, column headers,
//! value kinds, the canonical cell ids of `annual-report-format.md`, and per edition
//! ([`EDITIONS`]) its years, the header words that show it and its rows. Adding an edition is
//! adding an entry and its rows here; the reader, the rules and the cell ids follow from it.

use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// An edition of the template: an entry of [`EDITIONS`], where everything about it is data —
/// the years it is used for, the header words that show it, its rows. Which edition a report
/// follows is read from its table headers.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Edition(u8);

impl Edition {
    /// The edition used for report years 2019 and 2020.
    pub const E2019: Edition = Edition(0);
    /// The edition used for report years 2021 and later.
    pub const E2021: Edition = Edition(1);

    /// Every edition, oldest first.
    pub fn all() -> impl Iterator<Item = Edition> {
        (0..EDITIONS.len()).filter_map(|i| u8::try_from(i).ok().map(Edition))
    }

    /// The edition's data.
    #[must_use]
    pub fn def(self) -> &'static EditionDef {
        &EDITIONS[usize::from(self.0).min(EDITIONS.len() - 1)]
    }

    /// The edition's name as the spec and the JSON output write it.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        self.def().name
    }

    /// The edition of this name, if there is one.
    #[must_use]
    pub fn named(name: &str) -> Option<Edition> {
        Edition::all().find(|e| e.as_str() == name)
    }

    /// The edition a report of `year` should use: the newest whose first year is not after it
    /// (the oldest for years before every edition).
    #[must_use]
    pub fn for_year(year: u16) -> Edition {
        Edition::all()
            .filter(|e| e.def().from_year <= year)
            .max_by_key(|e| e.def().from_year)
            .unwrap_or(Edition(0))
    }
}

impl fmt::Debug for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Edition({})", self.as_str())
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The names of the editions, for serde's enum interface (made once, and kept).
static EDITION_NAMES: LazyLock<&'static [&'static str]> = LazyLock::new(|| {
    let names: Vec<&'static str> = EDITIONS.iter().map(|e| e.name).collect();
    Box::leak(names.into_boxed_slice())
});

impl Serialize for Edition {
    /// As a unit variant named after the edition: `"2021"` in JSON, `r#2021` in a record.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("Edition", u32::from(self.0), self.as_str())
    }
}

impl<'de> Deserialize<'de> for Edition {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Edition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("the name of a template edition")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Edition, E> {
                Edition::named(name).ok_or_else(|| E::unknown_variant(name, &EDITION_NAMES))
            }
            fn visit_enum<A: serde::de::EnumAccess<'de>>(
                self,
                data: A,
            ) -> Result<Edition, A::Error> {
                use serde::de::VariantAccess as _;
                let (Name(name), variant) = data.variant()?;
                variant.unit_variant()?;
                self.visit_str(&name)
            }
        }
        /// A variant's name, read as an identifier (RON writes `r#2021`, JSON `"2021"`).
        struct Name(String);
        impl<'de> Deserialize<'de> for Name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Identifier;
                impl serde::de::Visitor<'_> for Identifier {
                    type Value = Name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str("an edition's name")
                    }
                    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Name, E> {
                        Ok(Name(name.to_owned()))
                    }
                }
                deserializer.deserialize_identifier(Identifier)
            }
        }
        deserializer.deserialize_enum("Edition", &EDITION_NAMES, Visitor)
    }
}

/// One of the three statistical tables (sections 二, 三 and 四 of a report).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum TableId {
    /// 表二 主动公开政府信息情况.
    T2,
    /// 表三 收到和处理政府信息公开申请情况.
    T3,
    /// 表四 政府信息公开行政复议、行政诉讼情况.
    T4,
}

impl TableId {
    /// The first part of the table's cell ids.
    #[must_use]
    pub fn prefix(self) -> &'static str {
        match self {
            TableId::T2 => "t2",
            TableId::T3 => "t3",
            TableId::T4 => "t4",
        }
    }

    /// The table's name in Chinese, as auditors write it.
    #[must_use]
    pub fn zh(self) -> &'static str {
        match self {
            TableId::T2 => "表二",
            TableId::T3 => "表三",
            TableId::T4 => "表四",
        }
    }

    /// The table's name in English.
    #[must_use]
    pub fn en(self) -> &'static str {
        match self {
            TableId::T2 => "Table 2",
            TableId::T3 => "Table 3",
            TableId::T4 => "Table 4",
        }
    }
}

/// What a cell may hold: the rule `VALUE-KIND` of the spec, made a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueKind {
    /// A whole number ≥ 0.
    Count,
    /// A signed whole number (`*.change`, 本年增/减).
    Change,
    /// An amount in 万元 with decimals (`*.amount`).
    Amount,
}

/// How a row label is recognised in text normalised by the reader (`read::text`): whitespace and
/// punctuation removed, full-width forms folded.
#[derive(Debug)]
pub struct LabelSpec {
    /// Alternative spellings of the label's distinctive part, normalised.
    pub keys: &'static [&'static str],
    /// The item numeral printed before the label (`2` of `2.重复申请`, `七` of `（七）总计`).
    pub numeral: Option<&'static str>,
    /// Text that may follow the key and still belongs to the label.
    pub tail: &'static str,
}

/// A column of a table, or a column of one row of 表二.
#[derive(Debug)]
pub struct ColumnDef {
    /// The last part of the cell id.
    pub key: &'static str,
    /// The printed header.
    pub zh: &'static str,
    /// An English header.
    pub en: &'static str,
    /// What the cells of this column may hold.
    pub kind: ValueKind,
    /// What the column counts, for the rules across years and the reader's hints.
    pub role: ColumnRole,
}

/// What a column of 表二 counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnRole {
    /// Nothing the rules across years use.
    Plain,
    /// Documents added this year (本年制发件数).
    Added,
    /// Documents removed this year (本年废止件数).
    Removed,
    /// A running total that carries over from year to year (现行有效件数, 对外公开总数量): usually
    /// at least every other cell of its row, a hint for splitting glued digits.
    Running,
}

/// What a row takes part in, for the rules over it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRole {
    /// No role in any rule (表二's rows).
    Plain,
    /// 表三 一: applications received this year.
    New,
    /// 表三 二: applications carried in from last year.
    CarriedIn,
    /// 表三: one of the result rows summed by （七）总计, in its group of results.
    Result(ResultGroup),
    /// 表三 （七）总计.
    ResultsTotal,
    /// 表三 四、结转下年度继续办理.
    CarriedOut,
    /// 表四: administrative reviews.
    Review,
    /// 表四: lawsuits (either kind).
    Suit,
}

/// The groups of 表三's results, as the prose speaks of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultGroup {
    /// （一）予以公开.
    Granted,
    /// （二）部分公开.
    Partial,
    /// （三）不予公开.
    Denied,
    /// （四）无法提供.
    Unable,
    /// （五）不予处理.
    Ignored,
    /// （六）其他处理.
    Other,
}

/// A row of a table: its id part, its label, and its columns.
#[derive(Debug)]
pub struct RowDef {
    /// The middle part of the cell id (`new`, `denied.state_secret`, `regulations`).
    pub key: &'static str,
    /// The printed label.
    pub zh: &'static str,
    /// A short name for sentences (`第一项`).
    pub short_zh: &'static str,
    /// An English name.
    pub en: &'static str,
    /// How the label is found in text.
    pub label: LabelSpec,
    /// What the row takes part in.
    pub role: RowRole,
    /// The row's columns.
    pub columns: &'static [ColumnDef],
}

impl RowDef {
    /// The ids of this row's cells in `table`, in printed order. (Borrowed from the registry
    /// for a row of the template: they are asked for every row of every report.)
    #[must_use]
    pub fn cell_ids(&self, table: TableId) -> Cow<'static, [CellId]> {
        // A row of the template (the registry's own, found by its address) has its ids listed;
        // any other is looked up column by column.
        let address = std::ptr::from_ref(self) as usize;
        let registry: &'static Registry = &REGISTRY;
        if let Some(ids) = registry.row_ids.get(&(table, address)) {
            return Cow::Borrowed(ids);
        }
        self.columns
            .iter()
            .filter_map(|c| CellId::of(table, self.key, c.key))
            .collect()
    }
}

/// A label printed in a table that has no cells of its own: a group heading or a column header.
/// Finding it ends the region of the row before it.
#[derive(Debug)]
pub struct MarkerDef {
    /// How the marker is found in text.
    pub label: LabelSpec,
}

const fn count(key: &'static str, zh: &'static str, en: &'static str) -> ColumnDef {
    counting(key, zh, en, ColumnRole::Plain)
}

const fn counting(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    role: ColumnRole,
) -> ColumnDef {
    ColumnDef {
        key,
        zh,
        en,
        kind: ValueKind::Count,
        role,
    }
}

const fn label(keys: &'static [&'static str]) -> LabelSpec {
    LabelSpec {
        keys,
        numeral: None,
        tail: "",
    }
}

const fn numbered(keys: &'static [&'static str], numeral: &'static str) -> LabelSpec {
    LabelSpec {
        keys,
        numeral: Some(numeral),
        tail: "",
    }
}

const T2_2021_DOCS: &[ColumnDef] = &[
    counting(
        "issued",
        "本年制发件数",
        "issued this year",
        ColumnRole::Added,
    ),
    counting(
        "repealed",
        "本年废止件数",
        "repealed this year",
        ColumnRole::Removed,
    ),
    counting("in_force", "现行有效件数", "in force", ColumnRole::Running),
];
const T2_DECISIONS: &[ColumnDef] = &[count("decisions", "本年处理决定数量", "decisions")];
const T2_FEES_2021: &[ColumnDef] = &[ColumnDef {
    key: "amount",
    zh: "本年收费金额（万元）",
    en: "fees collected (10k yuan)",
    kind: ValueKind::Amount,
    role: ColumnRole::Plain,
}];

const fn t2_row(
    key: &'static str,
    zh: &'static str,
    en: &'static str,
    label: LabelSpec,
    columns: &'static [ColumnDef],
) -> RowDef {
    RowDef {
        key,
        zh,
        short_zh: zh,
        en,
        label,
        role: RowRole::Plain,
        columns,
    }
}

/// 表二 of the 2021 edition.
pub static T2_2021: &[RowDef] = &[
    t2_row(
        "regulations",
        "规章",
        "regulations",
        label(&["规章"]),
        T2_2021_DOCS,
    ),
    t2_row(
        "normative_docs",
        "行政规范性文件",
        "normative documents",
        label(&["行政规范性文件", "规范性文件"]),
        T2_2021_DOCS,
    ),
    t2_row(
        "licensing",
        "行政许可",
        "licensing",
        label(&["行政许可"]),
        T2_DECISIONS,
    ),
    t2_row(
        "punishment",
        "行政处罚",
        "punishment",
        label(&["行政处罚"]),
        T2_DECISIONS,
    ),
    t2_row(
        "enforcement",
        "行政强制",
        "enforcement",
        label(&["行政强制"]),
        T2_DECISIONS,
    ),
    t2_row(
        "fees",
        "行政事业性收费",
        "administrative fees",
        label(&["行政事业性收费"]),
        T2_FEES_2021,
    ),
];

const T2_2019_DOCS: &[ColumnDef] = &[
    count("made", "本年新制作数量", "made this year"),
    count("published", "本年新公开数量", "published this year"),
    counting(
        "total_public",
        "对外公开总数量",
        "total public",
        ColumnRole::Running,
    ),
];
const T2_2019_ITEMS: &[ColumnDef] = &[
    count("prev_items", "上一年项目数量", "items last year"),
    ColumnDef {
        key: "change",
        zh: "本年增/减",
        en: "change this year",
        kind: ValueKind::Change,
        role: ColumnRole::Plain,
    },
    count("decisions", "处理决定数量", "decisions"),
];
const T2_2019_FEES: &[ColumnDef] = &[
    count("prev_items", "上一年项目数量", "items last year"),
    ColumnDef {
        key: "change",
        zh: "本年增/减",
        en: "change this year",
        kind: ValueKind::Change,
        role: ColumnRole::Plain,
    },
];
const T2_2019_PROCUREMENT: &[ColumnDef] = &[
    count("projects", "采购项目数量", "procurement projects"),
    ColumnDef {
        key: "amount",
        zh: "采购总金额（万元）",
        en: "procurement total (10k yuan)",
        kind: ValueKind::Amount,
        role: ColumnRole::Plain,
    },
];

/// 表二 of the 2019 edition.
pub static T2_2019: &[RowDef] = &[
    t2_row(
        "regulations",
        "规章",
        "regulations",
        label(&["规章"]),
        T2_2019_DOCS,
    ),
    t2_row(
        "normative_docs",
        "规范性文件",
        "normative documents",
        label(&["行政规范性文件", "规范性文件"]),
        T2_2019_DOCS,
    ),
    t2_row(
        "licensing",
        "行政许可",
        "licensing",
        label(&["行政许可"]),
        T2_2019_ITEMS,
    ),
    t2_row(
        "other_services",
        "其他对外管理服务事项",
        "other public services",
        label(&["其他对外管理服务事项"]),
        T2_2019_ITEMS,
    ),
    t2_row(
        "punishment",
        "行政处罚",
        "punishment",
        label(&["行政处罚"]),
        T2_2019_ITEMS,
    ),
    t2_row(
        "enforcement",
        "行政强制",
        "enforcement",
        label(&["行政强制"]),
        T2_2019_ITEMS,
    ),
    t2_row(
        "fees",
        "行政事业性收费",
        "administrative fees",
        label(&["行政事业性收费"]),
        T2_2019_FEES,
    ),
    t2_row(
        "procurement",
        "政府集中采购",
        "central procurement",
        label(&["政府集中采购"]),
        T2_2019_PROCUREMENT,
    ),
];

/// Header labels of 表二 that are not rows.
pub static T2_MARKERS: &[MarkerDef] = &[
    MarkerDef {
        label: label(&["信息内容"]),
    },
    MarkerDef {
        label: label(&["本年制发件数", "本年废止件数", "现行有效件数", "现行有效件"]),
    },
    MarkerDef {
        label: label(&["本年新制作数量", "本年新公开数量", "对外公开总数量"]),
    },
    MarkerDef {
        label: label(&[
            "上一年项目数量",
            "本年增减",
            "处理决定数量",
            "本年处理决定数量",
        ]),
    },
    MarkerDef {
        label: label(&["本年收费金额单位万元", "本年收费金额"]),
    },
    MarkerDef {
        label: label(&["采购项目数量", "采购总金额"]),
    },
    MarkerDef {
        label: label(&["第二十条第"]),
    },
];

/// The item of article 20 of the regulations (条例第二十条) under which 表二 prints each of its
/// rows, by row key: the group headings of the printed table.
pub static T2_ARTICLES: &[(&str, &str)] = &[
    ("regulations", "第二十条第（一）项"),
    ("normative_docs", "第二十条第（一）项"),
    ("licensing", "第二十条第（五）项"),
    ("other_services", "第二十条第（五）项"),
    ("punishment", "第二十条第（六）项"),
    ("enforcement", "第二十条第（六）项"),
    ("fees", "第二十条第（八）项"),
    ("procurement", "第二十条第（九）项"),
];

/// The headings of sections 二, 三 and 四, which print the three tables.
#[must_use]
pub fn section_heading(table: TableId) -> &'static str {
    match table {
        TableId::T2 => "二、主动公开政府信息情况",
        TableId::T3 => "三、收到和处理政府信息公开申请情况",
        TableId::T4 => "四、政府信息公开行政复议、行政诉讼情况",
    }
}

/// The columns of 表三, in printed order.
pub static T3_COLUMNS: &[ColumnDef] = &[
    count("natural", "自然人", "natural persons"),
    count("business", "商业企业", "businesses"),
    count("research", "科研机构", "research institutions"),
    count("social", "社会公益组织", "public-interest organisations"),
    count("legal", "法律服务机构", "legal service organisations"),
    count("other_org", "其他", "other organisations"),
    count("total", "总计", "total"),
];

const fn t3_row(
    key: &'static str,
    zh: &'static str,
    short_zh: &'static str,
    en: &'static str,
    label: LabelSpec,
    role: RowRole,
) -> RowDef {
    RowDef {
        key,
        zh,
        short_zh,
        en,
        label,
        role,
        columns: T3_COLUMNS,
    }
}

const fn result(
    group: ResultGroup,
    key: &'static str,
    zh: &'static str,
    short_zh: &'static str,
    en: &'static str,
    label: LabelSpec,
) -> RowDef {
    t3_row(key, zh, short_zh, en, label, RowRole::Result(group))
}

/// The rows of 表三 up to （五）不予处理, common to both editions.
pub static T3_HEAD_ROWS: &[RowDef] = &[
    t3_row(
        "new",
        "一、本年新收政府信息公开申请数量",
        "第一项",
        "item 1 (new applications)",
        label(&["本年新收政府信息公开申请数量"]),
        RowRole::New,
    ),
    t3_row(
        "carried_in",
        "二、上年结转政府信息公开申请数量",
        "第二项",
        "item 2 (carried in)",
        label(&["上年结转政府信息公开申请数量"]),
        RowRole::CarriedIn,
    ),
    result(
        ResultGroup::Granted,
        "granted",
        "（一）予以公开",
        "（一）予以公开",
        "granted",
        label(&["予以公开"]),
    ),
    result(
        ResultGroup::Partial,
        "partial",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（二）部分公开",
        "partly granted",
        LabelSpec {
            keys: &["部分公开"],
            numeral: None,
            tail: "区分处理的只计这一情形不计其他情形",
        },
    ),
    result(
        ResultGroup::Denied,
        "denied.state_secret",
        "（三）不予公开 1.属于国家秘密",
        "不予公开1",
        "denied: state secret",
        numbered(&["属于国家秘密"], "1"),
    ),
    result(
        ResultGroup::Denied,
        "denied.law_prohibited",
        "（三）不予公开 2.其他法律行政法规禁止公开",
        "不予公开2",
        "denied: prohibited by law",
        numbered(&["其他法律行政法规禁止公开"], "2"),
    ),
    result(
        ResultGroup::Denied,
        "denied.security_stability",
        "（三）不予公开 3.危及“三安全一稳定”",
        "不予公开3",
        "denied: endangers security and stability",
        numbered(&["危及三安全一稳定"], "3"),
    ),
    result(
        ResultGroup::Denied,
        "denied.third_party",
        "（三）不予公开 4.保护第三方合法权益",
        "不予公开4",
        "denied: third-party rights",
        numbered(&["保护第三方合法权益"], "4"),
    ),
    result(
        ResultGroup::Denied,
        "denied.internal_affairs",
        "（三）不予公开 5.属于三类内部事务信息",
        "不予公开5",
        "denied: internal affairs",
        numbered(&["属于三类内部事务信息"], "5"),
    ),
    result(
        ResultGroup::Denied,
        "denied.process_info",
        "（三）不予公开 6.属于四类过程性信息",
        "不予公开6",
        "denied: process information",
        numbered(&["属于四类过程性信息"], "6"),
    ),
    result(
        ResultGroup::Denied,
        "denied.enforcement_file",
        "（三）不予公开 7.属于行政执法案卷",
        "不予公开7",
        "denied: enforcement file",
        numbered(&["属于行政执法案卷"], "7"),
    ),
    result(
        ResultGroup::Denied,
        "denied.query_matter",
        "（三）不予公开 8.属于行政查询事项",
        "不予公开8",
        "denied: query matter",
        numbered(&["属于行政查询事项"], "8"),
    ),
    result(
        ResultGroup::Unable,
        "unable.not_held",
        "（四）无法提供 1.本机关不掌握相关政府信息",
        "无法提供1",
        "unable: not held",
        numbered(&["本机关不掌握相关政府信息"], "1"),
    ),
    result(
        ResultGroup::Unable,
        "unable.needs_creation",
        "（四）无法提供 2.没有现成信息需要另行制作",
        "无法提供2",
        "unable: needs creating",
        numbered(&["没有现成信息需要另行制作"], "2"),
    ),
    result(
        ResultGroup::Unable,
        "unable.unclear",
        "（四）无法提供 3.补正后申请内容仍不明确",
        "无法提供3",
        "unable: still unclear",
        numbered(&["补正后申请内容仍不明确"], "3"),
    ),
    result(
        ResultGroup::Ignored,
        "ignored.petition",
        "（五）不予处理 1.信访举报投诉类申请",
        "不予处理1",
        "not handled: petition",
        numbered(&["信访举报投诉类申请"], "1"),
    ),
    result(
        ResultGroup::Ignored,
        "ignored.repeated",
        "（五）不予处理 2.重复申请",
        "不予处理2",
        "not handled: repeated",
        numbered(&["重复申请"], "2"),
    ),
    result(
        ResultGroup::Ignored,
        "ignored.publication",
        "（五）不予处理 3.要求提供公开出版物",
        "不予处理3",
        "not handled: publication",
        numbered(&["要求提供公开出版物"], "3"),
    ),
    result(
        ResultGroup::Ignored,
        "ignored.excessive",
        "（五）不予处理 4.无正当理由大量反复申请",
        "不予处理4",
        "not handled: excessive",
        numbered(&["无正当理由大量反复申请"], "4"),
    ),
    result(
        ResultGroup::Ignored,
        "ignored.confirm",
        "（五）不予处理 5.要求行政机关确认或重新出具已获取信息",
        "不予处理5",
        "not handled: confirmation",
        numbered(&["要求行政机关确认或重新出具已获取信息"], "5"),
    ),
];

/// （六）其他处理 as the 2021 edition prints it: three sub-rows.
pub static T3_OTHER_2021: &[RowDef] = &[
    result(
        ResultGroup::Other,
        "other.overdue_correction",
        "（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "其他处理1",
        "other: correction overdue",
        LabelSpec {
            keys: &["申请人无正当理由逾期不补正"],
            numeral: Some("1"),
            tail: "行政机关不再处理其政府信息公开申请",
        },
    ),
    result(
        ResultGroup::Other,
        "other.unpaid_fee",
        "（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "其他处理2",
        "other: fee unpaid",
        LabelSpec {
            keys: &["申请人逾期未按收费通知要求缴纳费用"],
            numeral: Some("2"),
            tail: "行政机关不再处理其政府信息公开申请",
        },
    ),
    result(
        ResultGroup::Other,
        "other.other",
        "（六）其他处理 3.其他",
        "其他处理3",
        "other: other",
        LabelSpec {
            keys: &["3其他"],
            numeral: None,
            tail: "",
        },
    ),
];

/// （六）其他处理 as the 2019 edition prints it: one row.
pub static T3_OTHER_2019: &[RowDef] = &[result(
    ResultGroup::Other,
    "other",
    "（六）其他处理",
    "（六）其他处理",
    "other handling",
    numbered(&["其他处理"], "六"),
)];

/// The rows of 表三 after （六）, common to both editions.
pub static T3_TAIL_ROWS: &[RowDef] = &[
    t3_row(
        "results_total",
        "（七）总计",
        "第三项",
        "item 3 (results total)",
        numbered(&["总计"], "七"),
        RowRole::ResultsTotal,
    ),
    t3_row(
        "carried_out",
        "四、结转下年度继续办理",
        "第四项",
        "item 4 (carried out)",
        label(&["结转下年度继续办理"]),
        RowRole::CarriedOut,
    ),
];

/// Group headings inside 表三; the 2021 （六） heading is in [`T3_OTHER_2021_GROUP`].
pub static T3_MARKERS: &[MarkerDef] = &[
    MarkerDef {
        label: label(&["本年度办理结果"]),
    },
    MarkerDef {
        label: numbered(&["不予公开"], "三"),
    },
    MarkerDef {
        label: numbered(&["无法提供"], "四"),
    },
    MarkerDef {
        label: numbered(&["不予处理"], "五"),
    },
];

/// The heading （六）其他处理 over the three sub-rows of the 2021 edition.
pub static T3_OTHER_2021_GROUP: MarkerDef = MarkerDef {
    label: numbered(&["其他处理"], "六"),
};

/// The outcome columns of 表四, in printed order.
pub static T4_COLUMNS: &[ColumnDef] = &[
    count("upheld", "结果维持", "upheld"),
    count("corrected", "结果纠正", "corrected"),
    count("other", "其他结果", "other outcome"),
    count("pending", "尚未审结", "pending"),
    count("total", "总计", "total"),
];

const fn t4_row(key: &'static str, zh: &'static str, en: &'static str, role: RowRole) -> RowDef {
    RowDef {
        key,
        zh,
        short_zh: zh,
        en,
        label: label(&[]),
        role,
        columns: T4_COLUMNS,
    }
}

/// The groups of 表四, in printed order (its 15 cells are read left to right).
pub static T4_ROWS: &[RowDef] = &[
    t4_row(
        "review",
        "行政复议",
        "administrative review",
        RowRole::Review,
    ),
    t4_row(
        "suit_direct",
        "行政诉讼（未经复议直接起诉）",
        "lawsuit without review",
        RowRole::Suit,
    ),
    t4_row(
        "suit_after_review",
        "行政诉讼（复议后起诉）",
        "lawsuit after review",
        RowRole::Suit,
    ),
];

/// Header labels of 表四.
pub static T4_MARKERS: &[&str] = &[
    "行政复议",
    "行政诉讼",
    "结果维持",
    "结果纠正",
    "其他结果",
    "尚未审结",
    "总计",
    "未经复议直接起诉",
    "复议后起诉",
];

/// Which variant of each table a report prints; the cells a report has follow from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Layout {
    /// The edition of 表二 (and the report's edition).
    pub t2: Edition,
    /// The edition of 表三's （六）其他处理: three rows (2021) or one (2019).
    pub t3_other: Edition,
}

impl Layout {
    /// The layout of a report that follows `edition` throughout.
    #[must_use]
    pub fn uniform(edition: Edition) -> Layout {
        Layout {
            t2: edition,
            t3_other: edition,
        }
    }

    /// Every layout a report can print: each edition's 表二 with each edition's （六）.
    pub fn all() -> impl Iterator<Item = Layout> {
        Edition::all().flat_map(|t2| Edition::all().map(move |t3_other| Layout { t2, t3_other }))
    }

    /// The rows of 表二, in printed order.
    #[must_use]
    pub fn t2_rows(self) -> Vec<&'static RowDef> {
        self.t2
            .def()
            .t2_rows
            .iter()
            .flat_map(|run| run.iter())
            .collect()
    }

    /// The rows of 表三, in printed order.
    #[must_use]
    pub fn t3_rows(self) -> Vec<&'static RowDef> {
        T3_HEAD_ROWS
            .iter()
            .chain(self.t3_other.def().t3_other_rows)
            .chain(T3_TAIL_ROWS)
            .collect()
    }

    /// The rows of a table, in printed order.
    #[must_use]
    pub fn rows(self, table: TableId) -> Vec<&'static RowDef> {
        match table {
            TableId::T2 => self.t2_rows(),
            TableId::T3 => self.t3_rows(),
            TableId::T4 => T4_ROWS.iter().collect(),
        }
    }

    /// Every cell of this layout, in printed order.
    #[must_use]
    pub fn cells(self) -> Vec<CellId> {
        [TableId::T2, TableId::T3, TableId::T4]
            .into_iter()
            .flat_map(|table| {
                self.rows(table)
                    .into_iter()
                    .flat_map(move |row| row.cell_ids(table).into_owned())
            })
            .collect()
    }

    /// The first row of a table with this role, if the layout has one.
    #[must_use]
    pub fn row_with(self, table: TableId, role: RowRole) -> Option<&'static RowDef> {
        self.rows(table).into_iter().find(|r| r.role == role)
    }
}

/// Everything about an edition of the template, as data: adding an edition is adding an entry
/// to [`EDITIONS`] (and its rows), and nothing else.
#[derive(Debug)]
pub struct EditionDef {
    /// Its name as the spec and the JSON output write it (`"2021"`).
    pub name: &'static str,
    /// The first report year it is used for; it is used until the next edition's first year.
    pub from_year: u16,
    /// Header words of 表二 (normalised) that this edition prints and the others do not: how a
    /// report shows which edition its 表二 follows.
    pub t2_keywords: &'static [&'static str],
    /// The rows of 表二, in printed order, as runs of rows (an edition may print another's
    /// rows and then its own).
    pub t2_rows: &'static [&'static [RowDef]],
    /// The rows of 表三's （六）其他处理: one row, or sub-rows under a heading.
    pub t3_other_rows: &'static [RowDef],
    /// The heading over the sub-rows of （六）其他处理, when the edition has sub-rows.
    pub t3_other_heading: Option<&'static MarkerDef>,
}

/// The editions of the template, oldest first.
pub static EDITIONS: &[EditionDef] = &[
    EditionDef {
        name: "2019",
        from_year: 2019,
        t2_keywords: &[
            "本年新制作数量",
            "本年新公开数量",
            "对外公开总数量",
            "上一年项目数量",
            "其他对外管理服务事项",
            "政府集中采购",
        ],
        t2_rows: &[T2_2019],
        t3_other_rows: T3_OTHER_2019,
        t3_other_heading: None,
    },
    EditionDef {
        name: "2021",
        from_year: 2021,
        t2_keywords: &["本年制发件数", "本年废止件数", "现行有效件"],
        t2_rows: &[T2_2021],
        t3_other_rows: T3_OTHER_2021,
        t3_other_heading: Some(&T3_OTHER_2021_GROUP),
    },
    // An edition that exists only in this crate's unit tests, defined in data alone: that
    // adding an edition needs nothing but data is what they check.
    #[cfg(test)]
    EditionDef {
        name: "2031",
        from_year: 2031,
        t2_keywords: &[
            "本年制发件数",
            "本年废止件数",
            "现行有效件",
            "开放数据集数量",
        ],
        t2_rows: &[T2_2021, tests::T2_2031],
        t3_other_rows: T3_OTHER_2021,
        t3_other_heading: Some(&T3_OTHER_2021_GROUP),
    },
];

/// A canonical cell id (`t3.new.total`). It can only name a cell of some edition: it is made by
/// parsing against the registry of all cells.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellId(u16);

/// What the registry knows about one cell id.
#[derive(Debug)]
pub struct CellDef {
    /// The canonical id text.
    pub id: String,
    /// The table the cell belongs to.
    pub table: TableId,
    /// The row definition.
    pub row: &'static RowDef,
    /// The column definition.
    pub column: &'static ColumnDef,
}

/// Every word the reader looks for in a report's normalised text to find the tables' rows and
/// headers, in every edition: the keys of every row's label, the group headings and column
/// headers, and the words that tell the editions apart. The reader finds them all in one pass.
#[must_use]
pub fn label_words() -> Vec<&'static str> {
    let rows = EDITIONS
        .iter()
        .flat_map(|e| {
            e.t2_rows
                .iter()
                .flat_map(|run| run.iter())
                .chain(e.t3_other_rows)
        })
        .chain(T3_HEAD_ROWS)
        .chain(T3_TAIL_ROWS)
        .chain(T4_ROWS);
    let markers = T2_MARKERS
        .iter()
        .chain(T3_MARKERS)
        .chain(EDITIONS.iter().filter_map(|e| e.t3_other_heading));
    rows.map(|row| &row.label)
        .chain(markers.map(|marker| &marker.label))
        .flat_map(|label| label.keys.iter().copied())
        .chain(T4_MARKERS.iter().copied())
        .chain(EDITIONS.iter().flat_map(|e| e.t2_keywords.iter().copied()))
        .collect()
}

struct Registry {
    defs: Vec<CellDef>,
    by_id: FxHashMap<String, u16>,
    /// Looked up for every cell of every report read: a fast hash of short keys, not the default
    /// `SipHash` (nothing here comes from an adversary; the keys are the template's).
    by_parts: FxHashMap<(TableId, &'static str, &'static str), u16>,
    /// The ids of each row of the template, by table and the row's address.
    row_ids: FxHashMap<(TableId, usize), Box<[CellId]>>,
}

static REGISTRY: LazyLock<Registry> = LazyLock::new(|| {
    let mut defs: Vec<CellDef> = Vec::new();
    let mut by_id = FxHashMap::default();
    let mut by_parts = FxHashMap::default();
    let mut row_ids = FxHashMap::default();
    let tables: [(TableId, Vec<&'static RowDef>); 3] = [
        (
            TableId::T2,
            merged(
                EDITIONS
                    .iter()
                    .map(|e| e.t2_rows.iter().flat_map(|run| run.iter())),
            ),
        ),
        (
            TableId::T3,
            merged(EDITIONS.iter().map(|e| {
                T3_HEAD_ROWS
                    .iter()
                    .chain(e.t3_other_rows)
                    .chain(T3_TAIL_ROWS)
            })),
        ),
        (TableId::T4, T4_ROWS.iter().collect()),
    ];
    for (table, rows) in tables {
        let prefix = table.prefix();
        for row in rows {
            let mut ids = Vec::with_capacity(row.columns.len());
            for column in row.columns {
                let id = format!("{prefix}.{}.{}", row.key, column.key);
                if let Some(&index) = by_id.get(&id) {
                    ids.push(CellId(index));
                    continue;
                }
                let index = u16::try_from(defs.len()).unwrap_or(u16::MAX);
                by_id.insert(id.clone(), index);
                by_parts.insert((table, row.key, column.key), index);
                ids.push(CellId(index));
                defs.push(CellDef {
                    id,
                    table,
                    row,
                    column,
                });
            }
            let address = std::ptr::from_ref(row) as usize;
            row_ids.insert((table, address), ids.into_boxed_slice());
        }
    }
    Registry {
        defs,
        by_id,
        by_parts,
        row_ids,
    }
});

/// The rows of several editions of a table in one order that keeps each edition's printed
/// order: a row new to an edition goes right after the row before it in that edition; rows of
/// the same key, from each edition that has one, stay together.
fn merged<I, R>(editions: I) -> Vec<&'static RowDef>
where
    I: IntoIterator<Item = R>,
    R: IntoIterator<Item = &'static RowDef>,
{
    let mut keys: Vec<&'static str> = Vec::new();
    let mut defs: Vec<Vec<&'static RowDef>> = Vec::new();
    for rows in editions {
        let mut at = 0;
        for row in rows {
            if let Some(k) = keys.iter().position(|&key| key == row.key) {
                defs[k].push(row);
                at = k + 1;
            } else {
                keys.insert(at, row.key);
                defs.insert(at, vec![row]);
                at += 1;
            }
        }
    }
    defs.into_iter().flatten().collect()
}

impl CellId {
    /// Parses a canonical id; `None` when no edition has such a cell.
    #[must_use]
    pub fn parse(id: &str) -> Option<CellId> {
        REGISTRY.by_id.get(id).copied().map(CellId)
    }

    /// The id of a row and column of a table, if some edition has that cell.
    #[must_use]
    pub fn of(table: TableId, row: &str, column: &str) -> Option<CellId> {
        REGISTRY
            .by_parts
            .get(&(table, row, column))
            .copied()
            .map(CellId)
    }

    /// Every cell id of every edition.
    pub fn all() -> impl Iterator<Item = CellId> {
        (0..REGISTRY.defs.len())
            .filter_map(|i| u16::try_from(i).ok())
            .map(CellId)
    }

    /// The registry entry of this id.
    #[must_use]
    pub fn def(self) -> &'static CellDef {
        &REGISTRY.defs[usize::from(self.0)]
    }

    /// The canonical id text.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        &self.def().id
    }

    /// The id's place in the registry: one number for one id, within one run of the program
    /// (a digest of a report's cells writes it instead of the text).
    #[must_use]
    pub(crate) fn ordinal(self) -> u16 {
        self.0
    }

    /// What the cell may hold.
    #[must_use]
    pub fn kind(self) -> ValueKind {
        self.def().column.kind
    }

    /// The table the cell belongs to.
    #[must_use]
    pub fn table(self) -> TableId {
        self.def().table
    }

    /// A label a reviewer reads: table, row and column in Chinese.
    #[must_use]
    pub fn label_zh(self) -> String {
        let def = self.def();
        format!("{} {} {}", def.table.zh(), def.row.zh, def.column.zh)
    }

    /// A label in English.
    #[must_use]
    pub fn label_en(self) -> String {
        let def = self.def();
        format!("{} {} / {}", def.table.en(), def.row.en, def.column.en)
    }

    /// A label a reviewer reads, in `lang`.
    #[must_use]
    pub fn label(self, lang: crate::lang::Lang) -> String {
        match lang {
            crate::lang::Lang::Zh => self.label_zh(),
            crate::lang::Lang::En => self.label_en(),
        }
    }
}

impl fmt::Debug for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CellId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CellId {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CellId {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        CellId::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown cell id `{text}`")))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// What the test-only 2031 edition prints in 表二 after the 2021 rows: 数据开放.
    pub(crate) static T2_2031: &[RowDef] = &[t2_row(
        "open_data",
        "数据开放",
        "open data",
        label(&["数据开放"]),
        &[count("datasets", "开放数据集数量", "open datasets")],
    )];

    /// A row's listed ids (looked up by its address) are the ids of its columns, for every row
    /// of every edition, and a row that is not the template's own is read column by column.
    #[test]
    fn listed_row_ids_are_the_ids_of_the_columns() {
        let by_columns = |row: &RowDef, table| -> Vec<CellId> {
            row.columns
                .iter()
                .filter_map(|c| CellId::of(table, row.key, c.key))
                .collect()
        };
        let mut rows = 0;
        for edition in Edition::all() {
            for table in [TableId::T2, TableId::T3, TableId::T4] {
                for row in Layout::uniform(edition).rows(table) {
                    let address = std::ptr::from_ref(row) as usize;
                    assert!(
                        REGISTRY.row_ids.contains_key(&(table, address)),
                        "{}",
                        row.key
                    );
                    let ids = row.cell_ids(table);
                    assert_eq!(ids, by_columns(row, table), "{}", row.key);
                    assert_eq!(ids.len(), row.columns.len(), "{}", row.key);
                    rows += 1;
                }
            }
        }
        assert!(rows > 50, "{rows} rows");
        let first = &T4_ROWS[0];
        let copy = t4_row(first.key, first.zh, first.en, first.role);
        assert_eq!(copy.cell_ids(TableId::T4), first.cell_ids(TableId::T4));
        assert_eq!(copy.cell_ids(TableId::T4).len(), first.columns.len());
    }

    #[test]
    fn an_edition_is_data_alone() {
        let e2031 = Edition::named("2031").unwrap_or(Edition::E2019);
        assert_eq!(e2031.as_str(), "2031");
        assert_eq!(Edition::for_year(2031), e2031);
        assert_eq!(Edition::for_year(2030), Edition::E2021);
        assert_eq!(Edition::for_year(2019), Edition::E2019);
        let cells = Layout::uniform(e2031).cells();
        let open = CellId::parse("t2.open_data.datasets");
        assert!(open.is_some_and(|id| cells.contains(&id)));
        assert!(cells.windows(2).all(|w| w[0] < w[1]), "printed order");
        assert_eq!(
            open.map(CellId::label_zh).as_deref(),
            Some("表二 数据开放 开放数据集数量")
        );
        // Its name reads and writes like the others'.
        let json = serde_json::to_string(&e2031).unwrap_or_default();
        assert_eq!(json, "\"2031\"");
        assert_eq!(serde_json::from_str::<Edition>(&json).ok(), Some(e2031));
        let ron = ron::to_string(&Layout::uniform(e2031)).unwrap_or_default();
        assert_eq!(
            ron::from_str::<Layout>(&ron).map_err(|e| format!("{ron}: {e}")),
            Ok(Layout::uniform(e2031))
        );
    }

    #[test]
    fn cell_counts_match_the_spec() {
        // 表三 is 25 rows × 7 in the 2021 edition and 23 × 7 in the 2019 edition; 表四 has 15.
        let count = |layout: Layout, table: TableId| {
            layout
                .cells()
                .into_iter()
                .filter(|c| c.table() == table)
                .count()
        };
        assert_eq!(count(Layout::uniform(Edition::E2021), TableId::T3), 25 * 7);
        assert_eq!(count(Layout::uniform(Edition::E2019), TableId::T3), 23 * 7);
        assert_eq!(count(Layout::uniform(Edition::E2021), TableId::T4), 15);
        assert_eq!(count(Layout::uniform(Edition::E2021), TableId::T2), 6 + 4);
        assert_eq!(count(Layout::uniform(Edition::E2019), TableId::T2), 22);
    }

    #[test]
    fn id_order_is_printed_order_in_each_edition() {
        for edition in [Edition::E2019, Edition::E2021] {
            let cells = Layout::uniform(edition).cells();
            assert!(
                cells.windows(2).all(|w| w[0] < w[1]),
                "{edition}: {cells:?}"
            );
        }
    }

    #[test]
    fn ids_round_trip_and_unknown_ids_are_refused() {
        for id in CellId::all() {
            assert_eq!(CellId::parse(id.as_str()), Some(id));
        }
        assert!(CellId::parse("t3.new.total").is_some());
        assert!(CellId::parse("t3.new.everything").is_none());
        assert_eq!(
            CellId::parse("t2.fees.amount").map(CellId::kind),
            Some(ValueKind::Amount)
        );
        assert_eq!(
            CellId::parse("t2.fees.change").map(CellId::kind),
            Some(ValueKind::Change)
        );
    }
}
