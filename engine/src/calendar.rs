//! UTC calendar arithmetic for budgets, History's date filters and the
//! times pages show: days from a civil date and back (H. Hinnant's
//! algorithms), with no time-zone database.

const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Start (Unix seconds) of the UTC day holding `at`.
pub fn day_start(at: i64) -> i64 {
    at - at.rem_euclid(DAY)
}

/// Start (Unix seconds) of the UTC month holding `at`.
pub fn month_start(at: i64) -> i64 {
    let days = at.div_euclid(DAY);
    let (_, _, day) = civil_from_days(days);
    (days - (day - 1)) * DAY
}

/// Start (Unix seconds) of the UTC day `YYYY-MM-DD`; `None` for anything
/// else, impossible dates (`2026-02-30`) included.
pub fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: u32 = parts.next()?.parse().ok()?;
    let day: u32 = parts.next()?.parse().ok()?;
    if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let (_, real_month, _) = civil_from_days(days);
    (real_month == i64::from(month)).then_some(days * DAY)
}

/// `YYYY-MM-DD` of the UTC day holding `at`.
pub fn format_date(at: i64) -> String {
    let (year, month, day) = civil_from_days(at.div_euclid(DAY));
    format!("{year:04}-{month:02}-{day:02}")
}

/// `YYYY-MM-DD HH:MM UTC` of `at`.
pub fn format_minute(at: i64) -> String {
    let secs = at.rem_euclid(DAY);
    format!(
        "{} {:02}:{:02} UTC",
        format_date(at),
        secs / 3_600,
        secs % 3_600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_day_counts() {
        for days in [-800_000, -1, 0, 59, 60, 365, 11_016, 20_789, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            let month = u32::try_from(m).unwrap();
            let day = u32::try_from(d).unwrap();
            assert_eq!(days_from_civil(y, month, day), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn dates_parse_and_print_in_utc() {
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(parse_date("2026-12-02"), Some(1_796_169_600));
        assert_eq!(parse_date("2024-02-29"), Some(1_709_164_800));
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "12/02/2026",
            "",
            "x-1-2",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(format_date(1_796_169_600), "2026-12-02");
        assert_eq!(
            format_minute(1_796_169_600 + 3_600 * 9 + 60 * 7 + 5),
            "2026-12-02 09:07 UTC"
        );
    }

    #[test]
    fn budget_periods_start_at_utc_midnight_and_the_first() {
        let at = 1_796_169_600 + 45_000;
        assert_eq!(day_start(at), 1_796_169_600);
        assert_eq!(format_date(month_start(at)), "2026-12-01");
        assert_eq!(month_start(month_start(at)), month_start(at));
        assert_eq!(
            format_date(month_start(parse_date("2024-03-01").unwrap() - 1)),
            "2024-02-01"
        );
    }

    #[test]
    fn finds_day_and_month_starts() {
        // 2026-11-25T13:14:15Z; 2026-11-25T00:00Z; 2026-11-01T00:00Z.
        assert_eq!(day_start(1_795_612_455), 1_795_564_800);
        assert_eq!(month_start(1_795_612_455), 1_793_491_200);
        // 2024-03-01 is a month start itself (leap year February before it).
        assert_eq!(month_start(1_709_251_200), 1_709_251_200);
        assert_eq!(month_start(1_709_251_199), 1_706_745_600);
    }
}
