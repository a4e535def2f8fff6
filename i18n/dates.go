package i18n

import (
	"strconv"
	"time"
)

// Dates on pages are written as each language writes them (the day, the
// month by name, the year), with Western digits as United Nations documents
// in all six languages use them; times are to the minute, in UTC. Exports
// (CSV, file names) keep ISO 8601.

// months holds the month names of each language in the form a date takes:
// the genitive in Russian, both the Levantine and the Egyptian name in
// Arabic, as UN Arabic documents write them.
var months = map[string][12]string{
	"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
	"ru": {"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
	"ar": {"كانون الثاني/يناير", "شباط/فبراير", "آذار/مارس", "نيسان/أبريل", "أيار/مايو", "حزيران/يونيه", "تموز/يوليه", "آب/أغسطس", "أيلول/سبتمبر", "تشرين الأول/أكتوبر", "تشرين الثاني/نوفمبر", "كانون الأول/ديسمبر"},
}

// FormatDate writes the date of t (as it is, without changing its time
// zone) as lang writes dates; "" for the zero time.
func FormatDate(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d, y := strconv.Itoa(t.Day()), strconv.Itoa(t.Year())
	switch lang {
	case "zh":
		return y + "年" + strconv.Itoa(int(t.Month())) + "月" + d + "日"
	case "es":
		return d + " de " + months["es"][t.Month()-1] + " de " + y
	case "ru":
		return d + " " + months["ru"][t.Month()-1] + " " + y + " г."
	case "fr", "ar":
		if lang == "fr" && t.Day() == 1 {
			d = "1er"
		}
		return d + " " + months[lang][t.Month()-1] + " " + y
	}
	return d + " " + months["en"][t.Month()-1] + " " + y
}

// FormatDateTime writes t in UTC to the minute, as lang writes dates and
// times.
func FormatDateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	hm := t.Format("15:04") + " UTC"
	switch lang {
	case "zh":
		return FormatDate(lang, t) + " " + hm
	case "ar":
		return FormatDate(lang, t) + "، " + hm
	case "fr":
		return FormatDate(lang, t) + " à " + hm
	}
	return FormatDate(lang, t) + ", " + hm
}
