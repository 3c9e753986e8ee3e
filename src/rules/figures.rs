//! What RT003 and RT004 share: which of a purpose's retention figures apply to an activity. Not
//! a rule of its own.
//!
//! A figure without a kind of data applies to the whole activity. A purpose may also give one
//! figure per kind of data (badge access logs: 3 months; working-time records: at least 1 year).
//! A manifest declares one retention for the activity, so:
//! - a kind's minimum applies when the activity's `data_categories` name that kind;
//! - of the kinds' maximums for one part of the retention (active, archive, total), the longest
//!   among the kinds the activity names applies, since the activity keeps each of them that
//!   long; when it names none, the longest of them all, so that no activity is held to the
//!   maximum of data it may not keep.

use super::Context;
use crate::catalog::lookup::mentions_phrase;
use crate::catalog::{AppliesTo, Bound, Purpose, RetentionFigure};

/// The figures with `bound` that apply to the activity.
pub(crate) fn applicable<'a>(cx: &Context<'a>, bound: Bound) -> Vec<&'a RetentionFigure> {
    let Some(p) = cx.purpose else {
        return Vec::new();
    };
    let named = |f: &RetentionFigure| {
        f.data.as_ref().is_some_and(|k| {
            cx.activity
                .data_categories
                .iter()
                .any(|c| k.words.iter().any(|w| mentions_phrase(&c.value, w)))
        })
    };
    let figures = p.retention.iter().filter(|f| f.bound == bound);
    let mut out: Vec<&RetentionFigure> = figures.clone().filter(|f| f.data.is_none()).collect();
    match bound {
        Bound::Minimum => out.extend(figures.filter(|f| f.data.is_some() && named(f))),
        Bound::Maximum => {
            for part in [AppliesTo::Active, AppliesTo::Archive, AppliesTo::Total] {
                let kinds: Vec<&RetentionFigure> = figures
                    .clone()
                    .filter(|f| f.data.is_some() && f.applies_to == part && f.duration.is_some())
                    .collect();
                let named_kinds: Vec<&RetentionFigure> =
                    kinds.iter().copied().filter(|f| named(f)).collect();
                let pool = if named_kinds.is_empty() {
                    kinds
                } else {
                    named_kinds
                };
                if let Some(longest) = pool.into_iter().max_by_key(|f| f.duration) {
                    out.push(longest);
                }
            }
        }
    }
    out
}

/// What a figure is for, in a message: "purpose `x`", or "<kind> in purpose `x`".
pub(crate) fn scope(cx: &Context<'_>, p: &Purpose, f: &RetentionFigure) -> String {
    match &f.data {
        Some(k) => cx.t(
            format!("{} in purpose `{}`", k.en, p.id),
            format!("{} dans la finalité `{}`", k.fr, p.id),
        ),
        None => cx.t(
            format!("purpose `{}`", p.id),
            format!("la finalité `{}`", p.id),
        ),
    }
}
