// Command genicon draws LabelQA's application icon, assets/icon.png. It is
// run by hand when the design changes and its output is committed:
//
//	cd assets && go run ./internal/genicon -o icon.png
//
// The icon is a rounded square with three label rows and a check mark: a
// batch of labels that has been checked.
package main

import (
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

const size = 512

func main() {
	out := flag.String("o", "icon.png", "where to write the PNG")
	flag.Parse()
	f, err := os.Create(*out)
	if err != nil {
		log.Fatal(err)
	}
	if err := png.Encode(f, draw()); err != nil {
		f.Close()
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
}

// shape is a signed distance function: negative inside, in pixels.
type shape func(x, y float64) float64

type layer struct {
	in  shape
	col func(x, y float64) color.NRGBA
}

func solid(c color.NRGBA) func(x, y float64) color.NRGBA {
	return func(float64, float64) color.NRGBA { return c }
}

func roundedRect(x0, y0, x1, y1, r float64) shape {
	cx, cy := (x0+x1)/2, (y0+y1)/2
	hx, hy := (x1-x0)/2-r, (y1-y0)/2-r
	return func(x, y float64) float64 {
		dx := math.Max(math.Abs(x-cx)-hx, 0)
		dy := math.Max(math.Abs(y-cy)-hy, 0)
		inside := math.Min(math.Max(math.Abs(x-cx)-hx, math.Abs(y-cy)-hy), 0)
		return math.Hypot(dx, dy) + inside - r
	}
}

func circle(cx, cy, r float64) shape {
	return func(x, y float64) float64 { return math.Hypot(x-cx, y-cy) - r }
}

// segment is a thick line from (ax, ay) to (bx, by) with round caps.
func segment(ax, ay, bx, by, w float64) shape {
	return func(x, y float64) float64 {
		px, py := x-ax, y-ay
		dx, dy := bx-ax, by-ay
		t := math.Max(0, math.Min(1, (px*dx+py*dy)/(dx*dx+dy*dy)))
		return math.Hypot(px-t*dx, py-t*dy) - w/2
	}
}

func union(a, b shape) shape {
	return func(x, y float64) float64 { return math.Min(a(x, y), b(x, y)) }
}

func draw() *image.NRGBA {
	top := color.NRGBA{0x2f, 0x4f, 0xc9, 0xff}
	bottom := color.NRGBA{0x17, 0x8f, 0xb8, 0xff}
	white := color.NRGBA{0xff, 0xff, 0xff, 0xff}
	pale := color.NRGBA{0xff, 0xff, 0xff, 0xb0}
	green := color.NRGBA{0x2e, 0xb8, 0x6e, 0xff}

	layers := []layer{
		{roundedRect(16, 16, 496, 496, 104), func(_, y float64) color.NRGBA { return mix(top, bottom, y/size) }},
		{roundedRect(96, 128, 352, 168, 20), solid(white)},
		{roundedRect(96, 216, 312, 256, 20), solid(pale)},
		{roundedRect(96, 304, 272, 344, 20), solid(pale)},
		{circle(352, 352, 92), solid(white)},
		{circle(352, 352, 76), solid(green)},
		{union(segment(312, 356, 340, 386, 22), segment(340, 386, 394, 322, 22)), solid(white)},
	}

	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	const ss = 4 // samples per axis, for smooth edges
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := float64(px) + (float64(sx)+0.5)/ss
					y := float64(py) + (float64(sy)+0.5)/ss
					cr, cg, cb, ca := 0.0, 0.0, 0.0, 0.0
					for _, l := range layers {
						if l.in(x, y) > 0 {
							continue
						}
						c := l.col(x, y)
						la := float64(c.A) / 255
						cr = cr*(1-la) + float64(c.R)*la
						cg = cg*(1-la) + float64(c.G)*la
						cb = cb*(1-la) + float64(c.B)*la
						ca = ca*(1-la) + la
					}
					r, g, b, a = r+cr, g+cg, b+cb, a+ca
				}
			}
			n := float64(ss * ss)
			if a == 0 {
				continue
			}
			// Un-premultiply the averaged colour.
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / a)), G: uint8(math.Round(g / a)), B: uint8(math.Round(b / a)),
				A: uint8(math.Round(a / n * 255)),
			})
		}
	}
	return img
}

func mix(a, b color.NRGBA, t float64) color.NRGBA {
	l := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.NRGBA{l(a.R, b.R), l(a.G, b.G), l(a.B, b.B), 0xff}
}
