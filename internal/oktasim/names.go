package oktasim

import "unicode"

// Name pools for the generator, one per script, so a generated org carries
// names in many scripts (task brief; API.md §4.4: Okta stores only 3-byte
// UTF-8, so every rune here is in the Basic Multilingual Plane). Each
// pool pairs given names with family names and a locale.
type namePool struct {
	script string
	locale string
	tz     string
	given  []string
	family []string
}

var namePools = []namePool{
	{"Latin", "en_US", "America/Chicago",
		[]string{
			"Priya", "Marcus", "Devon", "Hannah", "Olivia", "Noah", "Emma", "Liam", "Ava",
			"Ethan",
		},
		[]string{
			"Raman", "Oyelaran", "Whitaker", "Kowalczyk", "Johnson", "García", "Nguyen",
			"Smith", "Brown", "Okafor",
		}},
	{"Latin", "sv_SE", "Europe/Stockholm",
		[]string{"Zoë", "Åsa", "Björn", "Sören", "Märta", "Øystein", "Ærø", "Linnéa"},
		[]string{"Ångström-Nakamura", "Sjöberg", "Øvergård", "Lindqvist", "Bergström"}},
	{"Latin", "fr_FR", "Europe/Paris",
		[]string{"Élodie", "François", "Anaïs", "Gaëlle", "Jérôme", "Cécile", "Noël"},
		[]string{"Lefèvre", "Dubois", "Béranger", "Garçon",
			"Müller", "Łukasiewicz", "Dvořák"}},
	{"Latin", "vi_VN", "Asia/Ho_Chi_Minh",
		[]string{"Nguyễn Thị", "Trần Văn", "Phạm Đức", "Lê Thu"},
		[]string{"Hương", "Thắng", "Dũng", "Ngọc"}},
	{"Cyrillic", "ru_RU", "Europe/Moscow",
		[]string{"Алексей", "Мария", "Дмитрий",
			"Екатерина", "Сергей", "Ольга"},
		[]string{"Иванов", "Смирнова", "Кузнецов",
			"Попова", "Соколов"}},
	{"Cyrillic", "uk_UA", "Europe/Kyiv",
		[]string{"Олександр", "Ганна", "Їжак", "Євген"},
		[]string{"Шевченко", "Коваленко", "Бондаренко"}},
	{"Greek", "el_GR", "Europe/Athens",
		[]string{"Αθηνά", "Γιώργος", "Ελένη", "Δημήτρης", "Σοφία"},
		[]string{"Παπαδόπουλος", "Οικονόμου",
			"Γεωργίου", "Νικολάου"}},
	{"Arabic", "ar_EG", "Africa/Cairo",
		[]string{"محمد", "فاطمة", "أحمد", "ليلى", "يوسف", "مريم"},
		[]string{"الحسيني", "منصور", "العلي", "حداد", "السيد"}},
	{"Hebrew", "he_IL", "Asia/Jerusalem",
		[]string{"נועה", "איתי", "שירה", "יונתן", "מיכל"},
		[]string{"כהן", "לוי", "מזרחי", "פרץ", "ביטון"}},
	{"Devanagari", "hi_IN", "Asia/Kolkata",
		[]string{"अर्जुन", "प्रिया", "राहुल",
			"अनन्या", "विक्रम"},
		[]string{"शर्मा", "वर्मा", "गुप्ता",
			"सिंह", "पटेल"}},
	{"Han", "zh_CN", "Asia/Shanghai",
		[]string{"伟", "芳", "娜", "秀英", "敏", "静"},
		[]string{"王", "李", "张", "刘", "陈", "欧阳"}},
	{"Japanese", "ja_JP", "Asia/Tokyo",
		[]string{"さくら", "太郎", "ひなた", "健太", "ユキ"},
		[]string{"佐藤", "鈴木", "高橋", "田中", "渡辺"}},
	{"Hangul", "ko_KR", "Asia/Seoul",
		[]string{"민준", "서연", "지훈", "하은"},
		[]string{"김", "이", "박", "최", "정"}},
	{"Thai", "th_TH", "Asia/Bangkok",
		[]string{"สมชาย", "สุดา", "ณัฐพล", "กมลชนก"},
		[]string{"ศรีสุข", "วงศ์สวัสดิ์", "ทองดี"}},
}

// Directory attributes for generated users. Departments pair with a
// division and cost centre prefix.
var departments = []struct{ name, division, cc string }{
	{"Engineering", "Product", "CC-44"},
	{"Sales", "Revenue", "CC-31"},
	{"Finance", "Corporate", "CC-21"},
	{"Marketing", "Revenue", "CC-35"},
	{"Support", "Customer", "CC-52"},
	{"Human Resources", "Corporate", "CC-12"},
	{"Legal", "Corporate", "CC-15"},
	{"Operations", "Customer", "CC-57"},
	{"Research & Development", "Product", "CC-48"},
	{"IT", "Corporate", "CC-18"},
}

var titles = []string{
	"Software Engineer", "Staff Software Engineer", "Account Executive",
	"Financial Analyst", "Support Specialist", "Product Manager",
	"Director", "Recruiter", "Counsel", "Site Reliability Engineer",
	"Data Scientist", "Designer", "Sales Development Representative",
}

var cities = []struct{ city, state, country, cc string }{
	{"Austin", "TX", "United States", "US"},
	{"Chicago", "IL", "United States", "US"},
	{"Göteborg", "", "Sweden", "SE"},
	{"Paris", "", "France", "FR"},
	{"Москва", "", "Russia", "RU"},
	{"Αθήνα", "", "Greece", "GR"},
	{"القاهرة", "", "Egypt", "EG"},
	{"תל אביב", "", "Israel", "IL"},
	{"बेंगलुरु", "KA", "India", "IN"},
	{"上海", "", "China", "CN"},
	{"東京", "", "Japan", "JP"},
	{"กรุงเทพมหานคร", "", "Thailand", "TH"},
}

var skills = []string{"go", "kafka", "sql", "okta", "sales", "design", "k8s", "finance"}

// slugFold maps the common Latin diacritics to their base letters.
var slugFold = map[rune]string{
	'ä': "a", 'å': "a", 'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'æ': "ae",
	'ç': "c", 'č': "c", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e", 'ï': "i",
	'í': "i", 'î': "i", 'ñ': "n", 'ö': "o", 'ø': "o", 'ó': "o", 'ô': "o",
	'ü': "u", 'ú': "u", 'ł': "l", 'ř': "r", 'ž': "z", 'š': "s", 'ý': "y",
	'đ': "d", 'ễ': "e", 'ị': "i", 'ầ': "a", 'ă': "a", 'ạ': "a", 'ư': "u",
	'ơ': "o", 'ủ': "u", 'ọ': "o", 'ắ': "a", 'ũ': "u",
}

// asciiSlug keeps the ASCII letters of s in lower case, mapping the common
// Latin diacritics to their base letter, so logins stay plain.
func asciiSlug(s string) string {
	var out []byte
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			out = append(out, byte(r))
		case r >= 'A' && r <= 'Z':
			out = append(out, byte(r-'A'+'a'))
		case r == '-':
			out = append(out, '-')
		default:
			if lower, ok := slugFold[unicode.ToLower(r)]; ok {
				out = append(out, lower...)
			}
		}
	}
	return string(out)
}
