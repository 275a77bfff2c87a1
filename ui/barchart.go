package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// maxBarLabel is how many characters of a bar's label are shown.
const maxBarLabel = 24

// bar is one bar of a barChart.
type bar struct {
	label string
	value int
}

// barChart draws horizontal bars, one row per bar: the label, the bar, the
// value. Colours come from the theme when the chart is refreshed, so it
// reads well in light and dark themes.
type barChart struct {
	widget.BaseWidget
	bars  []bar
	empty string // shown when there are no bars
}

func newBarChart(empty string) *barChart {
	c := &barChart{empty: empty}
	c.ExtendBaseWidget(c)
	return c
}

// setBars shows bars, in the order given.
func (c *barChart) setBars(bars []bar) {
	c.bars = bars
	c.Refresh()
}

func (c *barChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barChartRenderer{chart: c, empty: canvas.NewText("", nil)}
	r.Refresh()
	return r
}

type barChartRenderer struct {
	chart  *barChart
	labels []*canvas.Text
	rects  []*canvas.Rectangle
	values []*canvas.Text
	empty  *canvas.Text
}

func (r *barChartRenderer) Destroy() {}

func (r *barChartRenderer) Objects() []fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, 0, 3*len(r.rects)+1)
	for i := range r.rects {
		objs = append(objs, r.labels[i], r.rects[i], r.values[i])
	}
	return append(objs, r.empty)
}

func (r *barChartRenderer) rowHeight() float32 {
	th := r.chart.Theme()
	return th.Size(theme.SizeNameText)*1.6 + th.Size(theme.SizeNameInnerPadding)
}

func (r *barChartRenderer) MinSize() fyne.Size {
	rows := max(len(r.rects), 1)
	return fyne.NewSize(240, float32(rows)*r.rowHeight())
}

func (r *barChartRenderer) Layout(size fyne.Size) {
	th := r.chart.Theme()
	pad := th.Size(theme.SizeNamePadding)
	r.empty.Move(fyne.NewPos(pad, pad))
	var labelW, valueW float32
	maxValue := 0
	for i, b := range r.chart.bars {
		if i >= len(r.rects) {
			break
		}
		labelW = max(labelW, r.labels[i].MinSize().Width)
		valueW = max(valueW, r.values[i].MinSize().Width)
		maxValue = max(maxValue, b.value)
	}
	labelW = min(labelW, size.Width*0.4)
	barMax := size.Width - labelW - valueW - 4*pad
	rowH := r.rowHeight()
	for i := range r.rects {
		y := float32(i) * rowH
		textH := r.labels[i].MinSize().Height
		r.labels[i].Move(fyne.NewPos(pad, y+(rowH-textH)/2))
		r.labels[i].Resize(fyne.NewSize(labelW, textH))
		w := float32(0)
		if maxValue > 0 && barMax > 0 {
			w = barMax * float32(r.chart.bars[i].value) / float32(maxValue)
		}
		w = max(w, 1)
		r.rects[i].Move(fyne.NewPos(labelW+2*pad, y+rowH*0.15))
		r.rects[i].Resize(fyne.NewSize(w, rowH*0.7))
		r.values[i].Move(fyne.NewPos(labelW+3*pad+w, y+(rowH-textH)/2))
		r.values[i].Resize(r.values[i].MinSize())
	}
}

func (r *barChartRenderer) Refresh() {
	th := r.chart.Theme()
	v := fyne.CurrentApp().Settings().ThemeVariant()
	fg := th.Color(theme.ColorNameForeground, v)
	fill := th.Color(theme.ColorNamePrimary, v)
	textSize := th.Size(theme.SizeNameText)

	n := len(r.chart.bars)
	for len(r.rects) < n {
		r.labels = append(r.labels, canvas.NewText("", fg))
		r.rects = append(r.rects, canvas.NewRectangle(fill))
		r.values = append(r.values, canvas.NewText("", fg))
	}
	r.labels, r.rects, r.values = r.labels[:n], r.rects[:n], r.values[:n]
	for i, b := range r.chart.bars {
		r.labels[i].Text, r.labels[i].Color, r.labels[i].TextSize = shorten(b.label, maxBarLabel), fg, textSize
		r.rects[i].FillColor = fill
		r.rects[i].CornerRadius = th.Size(theme.SizeNameSelectionRadius)
		r.values[i].Text, r.values[i].Color, r.values[i].TextSize = count(int64(b.value)), fg, textSize
	}
	r.empty.Text, r.empty.Color, r.empty.TextSize = "", th.Color(theme.ColorNamePlaceHolder, v), textSize
	if n == 0 {
		r.empty.Text = r.chart.empty
	}
	r.Layout(r.chart.Size())
	canvas.Refresh(r.chart)
}

// shorten cuts s to n characters, ending it with "…" when it was longer.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
