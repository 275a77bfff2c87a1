package ui

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// uiMu serializes the functions tasks hand to the UI goroutine. Fyne's
// drivers run them one at a time on that goroutine anyway; Fyne's test driver
// runs each on the goroutine that called fyne.Do, where two tasks finishing
// together would change widgets at once.
var uiMu sync.Mutex

// doUI runs fn on the UI goroutine, like fyne.Do, one fn at a time.
func doUI(fn func()) {
	fyne.Do(func() {
		uiMu.Lock()
		defer uiMu.Unlock()
		fn()
	})
}

// progressEvery is the shortest time between two progress updates of the
// widgets; a task may report far more often.
const progressEvery = 50 * time.Millisecond

// progressFunc reports a task's progress: done of total (bytes, say; total
// is 0 when unknown) and rows handled so far. A negative total says that
// everything is read and the work is writing its result (an import's
// core.Writing): the bar then shows activity instead of a fraction. It
// is safe to call from any goroutine, as often as the work likes.
type progressFunc func(done, total, rows int64)

// task is work run off the UI goroutine. Every field but Work is optional.
//
// Exactly one of Done, Failed and Cancelled runs afterwards, on the UI
// goroutine.
type task struct {
	// Title is shown next to the progress bar. A task without a title is a
	// background load: no progress bar, no Cancel button, and it may run
	// beside other tasks.
	Title string
	// Work runs in its own goroutine. It must return soon after ctx is
	// cancelled and must not touch a widget.
	Work func(ctx context.Context, report progressFunc) error
	// Done runs when Work returned nil.
	Done func()
	// Failed runs when Work returned an error; it returns true when it
	// showed the error itself, false to have it shown with showError.
	Failed func(err error) bool
	// Cancelled runs when the user (or closing the project) cancelled the task.
	Cancelled func()
}

// tasks runs tasks for one window and shows the one with a title in a bar:
// its title, a progress bar, rows per second and a Cancel button. Only one
// titled task runs at a time.
type tasks struct {
	win fyne.Window
	wg  sync.WaitGroup // every running task, for wait and shutdown

	// UI goroutine only.
	current    int // id of the titled task on show, 0 when none
	lastID     int
	cancelCur  context.CancelFunc
	started    time.Time
	title      *widget.Label
	bar        *widget.ProgressBar
	busy       *widget.ProgressBarInfinite
	detail     *widget.Label
	cancel     *widget.Button
	status     *widget.Label
	runningBox *fyne.Container
}

func newTasks(w fyne.Window) *tasks {
	t := &tasks{win: w}
	t.title = widget.NewLabel("")
	t.title.TextStyle.Bold = true
	t.bar = widget.NewProgressBar()
	t.busy = widget.NewProgressBarInfinite()
	t.busy.Stop()
	t.busy.Hide()
	t.detail = widget.NewLabel("")
	t.cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), t.onCancel)
	t.status = widget.NewLabel("")
	t.status.Truncation = fyne.TextTruncateEllipsis
	t.runningBox = container.NewBorder(nil, nil, t.title, container.NewHBox(t.detail, t.cancel),
		container.NewStack(t.bar, t.busy))
	t.runningBox.Hide()
	return t
}

// view is the task bar, for the bottom of the window.
func (t *tasks) view() fyne.CanvasObject {
	return container.NewStack(t.status, t.runningBox)
}

// retranslate sets the task bar's own words again after a change of
// language.
func (t *tasks) retranslate() { t.cancel.SetText(lang.L("Cancel")) }

// running reports whether a titled task is running.
func (t *tasks) running() bool { return t.current != 0 }

// setStatus shows a line in the task bar while no task runs.
func (t *tasks) setStatus(text string) { t.status.SetText(text) }

// run starts tk under ctx. It must be called on the UI goroutine. It returns
// false, and says why, when tk has a title and another titled task is
// running. group, when not nil, counts the task until it has finished.
func (t *tasks) run(ctx context.Context, group *sync.WaitGroup, tk task) bool {
	if tk.Title != "" && t.running() {
		showError(t.win, errBusy)
		return false
	}
	ctx, cancel := context.WithCancel(ctx)
	var p *progressState
	id := 0
	if tk.Title != "" {
		t.lastID++
		id = t.lastID
		p = &progressState{}
		t.show(id, tk.Title, cancel)
	}
	report := func(done, total, rows int64) {
		if p != nil && p.store(done, total, rows) {
			doUI(func() { t.progress(id, p) })
		}
	}
	t.wg.Add(1)
	if group != nil {
		group.Add(1)
	}
	go func() {
		defer t.wg.Done()
		if group != nil {
			defer group.Done()
		}
		err := tk.Work(ctx, report)
		cancelled := ctx.Err() != nil
		cancel()
		doUI(func() {
			if id != 0 {
				t.hide(id)
			}
			switch {
			case cancelled:
				if id != 0 {
					t.setStatus(lang.L("Cancelled: {{.Task}}", map[string]any{"Task": tk.Title}))
				}
				if tk.Cancelled != nil {
					tk.Cancelled()
				}
			case err != nil:
				if id != 0 {
					t.setStatus(lang.L("Failed: {{.Task}}", map[string]any{"Task": tk.Title}))
				}
				if tk.Failed == nil || !tk.Failed(err) {
					showError(t.win, err)
				}
			default:
				if id != 0 {
					t.setStatus(lang.L("Finished: {{.Task}}", map[string]any{"Task": tk.Title}))
				}
				if tk.Done != nil {
					tk.Done()
				}
			}
		})
	}()
	return true
}

// wait blocks until every task has finished and its results were handed to
// the UI goroutine (tests, and closing the window).
func (t *tasks) wait() { t.wg.Wait() }

func (t *tasks) onCancel() {
	if t.cancelCur != nil {
		t.cancelCur()
		t.cancel.Disable()
		t.detail.SetText(lang.L("Cancelling…"))
	}
}

func (t *tasks) show(id int, title string, cancel context.CancelFunc) {
	t.current, t.cancelCur, t.started = id, cancel, time.Now()
	t.title.SetText(title)
	t.detail.SetText("")
	t.bar.SetValue(0)
	t.bar.Hide()
	t.busy.Show()
	t.busy.Start()
	t.cancel.Enable()
	t.status.Hide()
	t.runningBox.Show()
}

func (t *tasks) hide(id int) {
	if t.current != id {
		return
	}
	t.current, t.cancelCur = 0, nil
	t.busy.Stop()
	t.runningBox.Hide()
	t.status.Show()
}

// progress shows p's latest values if task id is still on show.
func (t *tasks) progress(id int, p *progressState) {
	if t.current != id {
		return
	}
	done, total, rows := p.done.Load(), p.total.Load(), p.rows.Load()
	if total < 0 {
		if !t.busy.Visible() {
			t.bar.Hide()
			t.busy.Show()
			t.busy.Start()
		}
		if !t.cancel.Disabled() {
			t.detail.SetText(lang.L("Writing the project · rows: {{.Rows}}", map[string]any{"Rows": count(rows)}))
		}
		return
	}
	if total > 0 {
		if !t.bar.Visible() {
			t.busy.Stop()
			t.busy.Hide()
			t.bar.Show()
		}
		t.bar.SetValue(float64(done) / float64(total))
	}
	if t.cancel.Disabled() {
		return // keep "Cancelling…"
	}
	t.detail.SetText(progressText(done, total, rows, time.Since(t.started)))
}

// progressText is the line beside the progress bar: "4.2 MB of 10.0 MB ·
// 52000 rows · 81000 rows/s".
func progressText(done, total, rows int64, elapsed time.Duration) string {
	var s string
	if total > 0 {
		s = lang.L("{{.Done}} of {{.Total}}", map[string]any{"Done": byteSize(done), "Total": byteSize(total)})
	}
	if rows > 0 {
		if s != "" {
			s += " · "
		}
		s += lang.L("rows: {{.Rows}}", map[string]any{"Rows": count(rows)})
		if sec := elapsed.Seconds(); sec >= 0.5 {
			s += " · " + lang.L("{{.Rate}} rows/s", map[string]any{"Rate": count(int64(float64(rows) / sec))})
		}
	}
	return s
}

// byteSize formats n bytes for people: 512 B, 4.2 kB, 10.0 MB, 1.3 GB.
func byteSize(n int64) string {
	const unit = 1000
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f, i := float64(n)/unit, 0
	for f >= unit && i < 3 {
		f /= unit
		i++
	}
	return fmt.Sprintf("%.1f %cB", f, "kMGT"[i])
}

// progressState holds a task's latest progress and throttles its display.
type progressState struct {
	done, total, rows atomic.Int64
	last              atomic.Int64 // time.Now().UnixNano() of the last update on screen
}

// store records a report and returns true when the widgets should show it:
// at most once per progressEvery.
func (p *progressState) store(done, total, rows int64) bool {
	p.done.Store(done)
	p.total.Store(total)
	p.rows.Store(rows)
	now := time.Now().UnixNano()
	last := p.last.Load()
	if total < 0 {
		p.last.Store(now)
		return true // a change of phase is shown however soon it comes
	}
	return now-last >= int64(progressEvery) && p.last.CompareAndSwap(last, now)
}
