package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"labelqa/app/core"
)

// maxBars is how many groups a chart shows; the rest make one "other" bar.
const maxBars = 12

// overview shows what the open project holds: counts, annotations by queue
// and vendor as bar charts, and breakdowns by vendor, queue, market and
// label. Without a project it offers to create or open one.
type overview struct {
	widget.BaseWidget
	wb *workbench

	stack   *fyne.Container // welcome or body
	welcome fyne.CanvasObject
	recent  *fyne.Container
	body    fyne.CanvasObject

	stats    map[string]*widget.Label // by message key of the stat's caption
	labels   *widget.Label
	byQueue  *barChart
	byVendor *barChart
	charts   *fyne.Container
	tables   map[core.Dimension]*sortTable[core.Breakdown]
	loadSeq  int // the latest load; earlier ones are not shown
}

// overviewData is what one load reads from the project.
type overviewData struct {
	counts core.Counts
	by     map[core.Dimension][]core.Breakdown
}

// breakdownDims are the dimensions of the breakdown tables, in tab order,
// with the message keys of their tab and first column.
var breakdownDims = []struct {
	dim        core.Dimension
	tab, title string
}{
	{core.ByVendor, msg("By vendor"), msg("Vendor")},
	{core.ByQueue, msg("By queue"), msg("Queue")},
	{core.ByMarket, msg("By market"), msg("Market")},
	{core.ByLabel, msg("By label"), msg("Label")},
}

// statCaptions are the message keys of the counts, in order.
var statCaptions = []string{
	msg("Items"), msg("Annotators"), msg("Annotations"), msg("Gold items"), msg("Duplicates"), msg("Labels"),
}

func newOverview(wb *workbench) fyne.CanvasObject {
	v := &overview{wb: wb}
	v.ExtendBaseWidget(v)
	v.buildUI()
	wb.onProjectChanged(v.onProjectChanged)
	v.onProjectChanged()
	return v
}

func (v *overview) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.stack) }

func (v *overview) buildUI() {
	// Without a project.
	heading := widget.NewLabel(lang.L("No project is open"))
	heading.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel(lang.L("A project is one file (.lqa) that holds the batches you import. Create one for a new piece of work, or open one you made before."))
	intro.Wrapping = fyne.TextWrapWord
	newBtn := widget.NewButtonWithIcon(lang.L("New project…"), theme.DocumentCreateIcon(), v.wb.onNewProject)
	newBtn.Importance = widget.HighImportance
	openBtn := widget.NewButtonWithIcon(lang.L("Open project…"), theme.FolderOpenIcon(), v.wb.onOpenProject)
	v.recent = container.NewVBox()
	v.welcome = container.NewPadded(container.NewVBox(heading, intro, container.NewHBox(newBtn, openBtn), v.recent))

	// With a project.
	v.stats = map[string]*widget.Label{}
	tiles := container.NewGridWithColumns(len(statCaptions))
	for _, key := range statCaptions {
		value := widget.NewLabel("–")
		value.SizeName = theme.SizeNameHeadingText
		value.TextStyle.Bold = true
		v.stats[key] = value
		caption := widget.NewLabel(lang.L(key))
		tiles.Add(widget.NewCard("", "", container.NewVBox(value, caption)))
	}
	v.labels = widget.NewLabel("")
	v.labels.Wrapping = fyne.TextWrapWord

	v.byQueue = newBarChart(lang.L("No annotations yet."))
	v.byVendor = newBarChart(lang.L("No annotations yet."))
	v.charts = container.NewVBox(
		boldLabel(lang.L("Annotations by queue")), v.byQueue,
		boldLabel(lang.L("Annotations by vendor")), v.byVendor,
	)
	charts := container.NewVScroll(v.charts)

	v.tables = map[core.Dimension]*sortTable[core.Breakdown]{}
	tabs := container.NewAppTabs()
	for _, d := range breakdownDims {
		t := newSortTable([]column[core.Breakdown]{
			textCol(lang.L(d.title), 180, func(b core.Breakdown) string { return keyText(b.Key) }),
			numCol(lang.L("Annotations"), 110, func(b core.Breakdown) int64 { return int64(b.Annotations) }),
			numCol(lang.L("Items"), 90, func(b core.Breakdown) int64 { return int64(b.Items) }),
			numCol(lang.L("Annotators"), 100, func(b core.Breakdown) int64 { return int64(b.Annotators) }),
		})
		v.tables[d.dim] = t
		tabs.Append(container.NewTabItem(lang.L(d.tab), t))
	}
	split := container.NewHSplit(charts, tabs)
	split.Offset = 0.45
	v.body = container.NewBorder(container.NewVBox(tiles, v.labels), nil, nil, nil, split)

	v.stack = container.NewStack(v.welcome, v.body)
}

// onProjectChanged shows the welcome without a project, or loads the project's figures.
func (v *overview) onProjectChanged() {
	if v.wb.proj == nil {
		v.showRecent()
		v.body.Hide()
		v.welcome.Show()
		return
	}
	v.welcome.Hide()
	v.body.Show()
	v.load()
}

// showRecent lists the recent projects as buttons that open them.
func (v *overview) showRecent() {
	v.recent.RemoveAll()
	if len(v.wb.settings.Recent) == 0 {
		return
	}
	v.recent.Add(widget.NewSeparator())
	v.recent.Add(boldLabel(lang.L("Recent projects")))
	for _, p := range v.wb.settings.Recent {
		b := widget.NewButtonWithIcon(p, theme.FileIcon(), func() { v.wb.openProject(p) })
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		v.recent.Add(b)
	}
}

// load reads the project's figures off the UI goroutine.
func (v *overview) load() {
	p := v.wb.proj.core
	v.loadSeq++
	seq := v.loadSeq
	var d overviewData
	v.wb.runProject(task{
		Work: func(ctx context.Context, _ progressFunc) (err error) {
			d, err = loadOverview(ctx, p)
			return err
		},
		Done: func() {
			if seq == v.loadSeq {
				v.show(d)
			}
		},
	})
}

func loadOverview(ctx context.Context, p *core.Project) (overviewData, error) {
	dims := make([]core.Dimension, len(breakdownDims))
	for i, b := range breakdownDims {
		dims[i] = b.dim
	}
	o, err := p.Overview(ctx, dims...)
	return overviewData{counts: o.Counts, by: o.By}, err
}

// show puts d on screen.
func (v *overview) show(d overviewData) {
	c := d.counts
	values := []int{c.Items, c.Annotators, c.Annotations, c.GoldItems, c.Duplicates, len(c.Labels)} // as statCaptions
	for i, key := range statCaptions {
		v.stats[key].SetText(count(int64(values[i])))
	}
	if len(c.Labels) == 0 {
		v.labels.SetText(lang.L("No labels yet: they are added by the first import, or declared when the project is created."))
	} else {
		v.labels.SetText(lang.L("Labels: {{.List}}", map[string]any{"List": strings.Join(c.Labels, ", ")}))
	}
	v.byQueue.setBars(bars(d.by[core.ByQueue]))
	v.byVendor.setBars(bars(d.by[core.ByVendor]))
	v.charts.Refresh() // the charts' heights changed
	for dim, t := range v.tables {
		t.setRows(d.by[dim])
	}
}

// bars turns breakdowns, largest first, into chart bars: the first maxBars-1
// groups, and the rest summed in one "other" bar.
func bars(groups []core.Breakdown) []bar {
	out := make([]bar, 0, min(len(groups), maxBars))
	other, nOther := 0, 0
	for i, g := range groups {
		if len(groups) > maxBars && i >= maxBars-1 {
			other += g.Annotations
			nOther++
			continue
		}
		out = append(out, bar{label: keyText(g.Key), value: g.Annotations})
	}
	if nOther > 0 {
		out = append(out, bar{label: lang.L("{{.N}} others", map[string]any{"N": nOther}), value: other})
	}
	return out
}

// keyText shows a group's key, or "(none)" for rows that leave it empty.
func keyText(key string) string {
	if key == "" {
		return lang.L("(none)")
	}
	return key
}

func boldLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.TextStyle.Bold = true
	return l
}
