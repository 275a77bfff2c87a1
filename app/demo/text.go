package demo

import (
	"strconv"
	"strings"
)

// Ad copy for each market's language, per policy class. Slots in braces are
// filled from the word lists below: {n} {days} {pct} {price} {shop} {city}
// {product} {brand}. Brands and shops are invented.
type lexicon struct {
	ads      [nLabels][]string
	formula  []formulaAd // ads whose text starts with = + - @
	shops    []string
	cities   []string
	products []string
	prices   []int
	comments []string
	thousand string // thousands separator for prices
}

type formulaAd struct {
	class int
	text  string
}

var brands = []string{"Valenza", "Mont Royal", "Hermosa", "Kairo Milano", "Nordkapp", "Luvé Paris", "Bellacci", "Rolanto"}

var lexicons = map[string]*lexicon{
	"id": {
		ads: [nLabels][]string{
			lApprove: {
				"Diskon {pct}% untuk {product} di {shop}. Berlaku sampai hari Minggu.",
				"{shop} buka cabang baru di {city}! Kunjungi kami dan dapatkan voucher belanja.",
				"Gratis ongkir ke seluruh Indonesia untuk pembelian di atas Rp{price}.",
				"Promo akhir bulan: {product} mulai Rp{price}. Stok terbatas.",
				"Kursus bahasa Inggris online, kelas baru mulai Senin. Daftar di {shop}.",
				"Nikmati kuliner khas {city}, dikirim segar setiap hari dari {shop}.",
				"Lowongan kerja: {shop} mencari kasir di {city}. Kirim lamaran Anda.",
			},
			lMisleading: {
				"Turunkan berat badan {n} kg dalam {days} hari! Dijamin!",
				"Obat herbal ini menyembuhkan diabetes dalam {days} hari tanpa ke dokter.",
				"Krim ajaib: kulit putih permanen dalam {days} hari. 100% berhasil!",
				"Minum teh ini, tinggi badan naik {n} cm dalam sebulan!",
				"Rahasia yang disembunyikan dokter: kolesterol hilang total dalam {days} hari.",
			},
			lAdult: {
				"Video panas tanpa sensor, khusus 18+. Klik sekarang!",
				"Kenalan dengan wanita kesepian di {city} malam ini. Foto tanpa busana!",
				"Layanan pijat plus-plus di {city}, hubungi via WhatsApp.",
			},
			lProhibited: {
				"Jual obat penenang tanpa resep, kirim cepat ke {city}.",
				"Senapan angin modifikasi peluru tajam, harga Rp{price}.",
				"Liquid vape THC isi ulang, stok banyak, kirim rahasia.",
				"Jual anak kukang lucu, satwa langka, Rp{price} nego.",
			},
			lGambling: {
				"Slot gacor hari ini! Deposit Rp{price} dapat bonus {pct}%.",
				"Situs judi bola terpercaya, withdraw cepat, daftar sekarang!",
				"Togel online {city}, jackpot jutaan rupiah setiap hari.",
				"Main kasino online, bonus member baru {pct}%!",
			},
			lScam: {
				"Investasi kripto, untung {pct}% per hari dijamin tanpa risiko!",
				"Pinjaman online cair 5 menit tanpa KTP, bunga 0%.",
				"Gandakan uang Anda dalam {days} hari. Transfer ke rekening kami sekarang.",
				"Selamat! Anda memenangkan undian Rp{price}. Bayar biaya admin untuk klaim hadiah.",
			},
			lHate: {
				"Para pendatang merusak {city}. Usir mereka semua! Bagikan jika setuju.",
				"Orang-orang itu bukan manusia, jangan beri mereka pekerjaan di {city}.",
			},
			lCounterfeit: {
				"Tas {brand} KW super, mirip asli 99%, cuma Rp{price}.",
				"Jam tangan {brand} replika grade ori, garansi 1 tahun.",
				"Sepatu {brand} original pabrik, diskon {pct}%! Sama persis dengan di mal.",
			},
		},
		formula: []formulaAd{
			{lApprove, "+62 812-5555-0199 – pesan {product} sekarang, bayar di tempat!"},
			{lScam, `=HYPERLINK("http://bonus-cepat.example/klaim","Klaim Rp{price} sekarang")`},
			{lApprove, "@{shop} diskon {pct}% untuk {product}, hari ini saja"},
			{lApprove, "-{pct}% semua {product} di {shop}!"},
			{lGambling, "=1+1 bonus! Deposit Rp{price}, saldo langsung dobel di kasino online"},
		},
		shops:    []string{"Toko Sinar Jaya", "Berkah Mart", "Warung Sari Rasa", "Batik Ayu", "Kopi Nusantara", "Elektronik Maju"},
		cities:   []string{"Jakarta", "Surabaya", "Bandung", "Medan", "Makassar", "Yogyakarta", "Denpasar"},
		products: []string{"sepatu lari", "kopi susu gula aren", "batik tulis", "ponsel", "rice cooker", "jilbab katun", "sambal roa"},
		prices:   []int{49000, 79000, 99000, 149000, 199000, 249000, 499000, 1250000},
		comments: []string{
			"gambar buram", "sudah cek landing page", "ragu-ragu, SOP kurang jelas untuk kasus ini",
			"teks campur bahasa Inggris", "mungkin salah kategori, mohon dicek QA", "halaman tujuan tidak bisa dibuka",
			"klaim kesehatan?\ncek ulang dengan SOP bagian 4",
		},
		thousand: ".",
	},
	"no": {
		ads: [nLabels][]string{
			lApprove: {
				"Vårsalg hos {shop}: {pct} % rabatt på {product}. Gjelder til søndag.",
				"Ny butikk i {city}! Kom innom og få en gratis kaffe.",
				"Bestill før kl. 14 – levering i morgen. Fri frakt over {price} kr.",
				"Lær å strikke! Kveldskurs i {city}, påmelding på nett.",
				"Sykkelservice fra {price} kr. Bestill time hos {shop}.",
				"Nye {product} fra {shop} – nå også i {city}.",
				"Vi søker sommervikarer til butikken vår i {city}. Søk i dag!",
			},
			lMisleading: {
				"Gå ned {n} kilo på {days} dager – garantert!",
				"Denne urteteen kurerer leddsmerter for godt. Legene hater den!",
				"Bli kvitt rynkene på {days} dager med vår mirakelkrem. 100 % resultat.",
				"Få tilbake håret på {days} dager – helt uten bivirkninger!",
				"Spis dette før frokost og forbrenn {n} kilo fett i uka.",
			},
			lAdult: {
				"Hete videoer uten sensur – kun for voksne 18+. Klikk her!",
				"Møt ensomme damer i {city} i kveld. Nakenbilder inkludert.",
				"Erotisk massasje i {city}, diskret og privat.",
			},
			lProhibited: {
				"Kjøp sovemedisin uten resept – rask levering til {city}.",
				"E-sigaretter med THC-væske, billig og på lager.",
				"Selger ombygde luftvåpen for skarp ammunisjon, {price} kr.",
				"Anabole steroider til salgs, diskret pakking.",
			},
			lGambling: {
				"Velkomstbonus {pct} % opptil {price} kr! Spill casino nå.",
				"Oddsbonus uten omsetningskrav – registrer deg i dag!",
				"Gratisspinn hver dag på vårt nettcasino. Utbetaling på få minutter.",
			},
			lScam: {
				"Tjen {price} kr i uka på kryptohandel – garantert avkastning!",
				"Invester i vårt nye fond og doble pengene dine på {days} dager.",
				"Du har vunnet en ny mobil! Betal kun frakt på 19 kr for å hente premien.",
				"Forbrukslån uten kredittsjekk, svar på 2 minutter, 0 % rente.",
			},
			lHate: {
				"De fremmede ødelegger {city} – de hører ikke hjemme her. Del hvis du er enig!",
				"Slike folk er ikke mennesker. Ikke ansett dem, ikke betjen dem.",
			},
			lCounterfeit: {
				"Kjøp billige merkevarer – 90 % rabatt, originale kopier",
				"{brand}-veske, replika som ser ekte ut, kun {price} kr.",
				"Klokker fra {brand}, 1:1-kopi, gratis frakt til hele Norge.",
			},
		},
		formula: []formulaAd{
			{lApprove, "+47 400 12 345 – ring oss for et godt tilbud på {product}"},
			{lScam, `=HYPERLINK("http://rask-gevinst.example","Hent {price} kr nå")`},
			{lApprove, "@{shop}: ny kolleksjon av {product} er her!"},
			{lApprove, "=== SALG === {pct} % på alle {product} hos {shop}"},
			{lGambling, "+{pct} % bonus på første innskudd – spill på nettcasino i dag"},
		},
		shops:    []string{"Fjellsport", "Bakeriet på hjørnet", "Sjøbua Interiør", "Kaffebrenneriet Øst", "Ålesund Sko", "Tromsø Tøy"},
		cities:   []string{"Oslo", "Bergen", "Trondheim", "Tromsø", "Ålesund", "Bodø", "Stavanger"},
		products: []string{"ullgensere", "skiutstyr", "brunost", "regnjakker", "kanelboller", "fiskeutstyr", "sykler"},
		prices:   []int{99, 149, 199, 299, 499, 999, 1499, 2990},
		comments: []string{
			"uklart bilde", "sjekket landingssiden", "grensetilfelle", "SOP er uklar her",
			"mulig feil kategori, ber QA se på den", "lenken virker ikke", "påstand om helse?\nsjekk SOP på nytt",
		},
		thousand: " ",
	},
	"en": {
		ads: [nLabels][]string{
			lApprove: {
				"Sale at {shop}: {pct}% off {product} this weekend only.",
				"Now open in {city}! Visit our new branch and get a free drink.",
				"Free delivery nationwide for orders over ₱{price}.",
				"Enroll now: online English tutorial classes start Monday at {shop}.",
				"New {product} in stock at {shop}, same-day delivery in {city}.",
				"We're hiring! {shop} needs cashiers in {city}. Apply today.",
			},
			lMisleading: {
				"Lose {n} kg in {days} days! Guaranteed or your money back!",
				"This herbal drink cures diabetes in {days} days. Doctors are shocked!",
				"Whitening soap: fairer skin in {days} days, 100% effective!",
				"Grow {n} cm taller in one month with our vitamins!",
			},
			lAdult: {
				"Hot uncensored videos, 18+ only. Click now!",
				"Lonely singles in {city} want to meet you tonight. Nude pics inside!",
				"Private massage with extra service in {city}, message us.",
			},
			lProhibited: {
				"Selling sleeping pills without prescription, fast delivery to {city}.",
				"Vape juice with THC, legit seller, COD available.",
				"Airsoft guns modified for live rounds, ₱{price} only.",
			},
			lGambling: {
				"Online sabong live now! Bet and win up to ₱{price}.",
				"Best online casino in PH: {pct}% welcome bonus, instant cash out.",
				"Play slots now, free ₱{price} credits for new members!",
			},
			lScam: {
				"Earn ₱{price} daily from home! Crypto trading, guaranteed profits.",
				"Double your money in {days} days. Send GCash now to reserve your slot!",
				"Congratulations! You won ₱{price}. Pay the processing fee to claim.",
				"Instant loan approval, no ID needed, 0% interest!",
			},
			lHate: {
				"These outsiders are ruining {city}. They don't belong here – share if you agree!",
				"People like them are animals. Don't hire them, don't serve them.",
			},
			lCounterfeit: {
				"{brand} bags class A replica, looks 100% authentic, ₱{price} only.",
				"Original {brand} shoes direct from factory, {pct}% off! Same as in the mall.",
				"{brand} watches 1:1 mirror copy, free shipping.",
			},
		},
		formula: []formulaAd{
			{lApprove, "+63 917 555 0142 – order {product} now, COD available!"},
			{lScam, `=HYPERLINK("http://easy-cash.example/claim","Claim ₱{price} now")`},
			{lApprove, "@{shop} {pct}% off all {product} today only"},
			{lApprove, "-{pct}% on all {product} at {shop}, sulit na sulit!"},
			{lGambling, "=1+1 bonus! Deposit ₱{price}, get double credits at our online casino"},
		},
		shops:    []string{"Mabuhay Mart", "Isla Gadgets", "Kusina ni Lola", "Sari-Sari Express", "Bahay Kubo Home", "Cebu Threads"},
		cities:   []string{"Manila", "Cebu", "Davao", "Quezon City", "Iloilo", "Baguio"},
		products: []string{"rice cookers", "school bags", "phone cases", "dried mangoes", "electric fans", "barong shirts"},
		prices:   []int{199, 299, 499, 999, 1499, 2500, 5000},
		comments: []string{
			"blurry image", "checked landing page", "borderline case", "SOP unclear on this",
			"maybe wrong category, please QA", "landing page is down", "health claim?\nre-check SOP section 4",
		},
		thousand: ",",
	},
}

// groupThousands appends n with sep between groups of three digits.
func groupThousands(b []byte, n int, sep string) []byte {
	s := strconv.Itoa(n)
	for i, c := range []byte(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, sep...)
		}
		b = append(b, c)
	}
	return b
}

// render appends tpl with its slots filled.
func (lx *lexicon) render(b []byte, r *rnd, tpl string) []byte {
	for {
		i := strings.IndexByte(tpl, '{')
		if i < 0 {
			return append(b, tpl...)
		}
		j := strings.IndexByte(tpl[i:], '}')
		if j < 0 {
			return append(b, tpl...)
		}
		b = append(b, tpl[:i]...)
		switch tpl[i+1 : i+j] {
		case "n":
			b = strconv.AppendInt(b, int64(r.between(3, 15)), 10)
		case "days":
			b = strconv.AppendInt(b, int64(r.between(3, 14)), 10)
		case "pct":
			b = strconv.AppendInt(b, int64(5*r.between(2, 18)), 10)
		case "price":
			b = groupThousands(b, choose(r, lx.prices), lx.thousand)
		case "shop":
			b = append(b, choose(r, lx.shops)...)
		case "city":
			b = append(b, choose(r, lx.cities)...)
		case "product":
			b = append(b, choose(r, lx.products)...)
		case "brand":
			b = append(b, choose(r, brands)...)
		default:
			b = append(b, tpl[i:i+j+1]...)
		}
		tpl = tpl[i+j+1:]
	}
}

// ad appends an ad text of class c. formula forces (when the class has one)
// a text that starts with a formula character.
func (lx *lexicon) ad(b []byte, r *rnd, c int, formula bool) []byte {
	if formula {
		var opts [8]int
		n := 0
		for i, f := range lx.formula {
			if f.class == c && n < len(opts) {
				opts[n] = i
				n++
			}
		}
		if n > 0 {
			return lx.render(b, r, lx.formula[opts[r.intn(n)]].text)
		}
	}
	return lx.render(b, r, choose(r, lx.ads[c]))
}
