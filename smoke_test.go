//go:build smoke

package main

// The smoke test of the real window: build the binary, generate the demo
// project, start the workbench under Xvfb, take a screenshot of the X
// display, and fail if the window did not draw. Run with `make smoke`.

import (
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWindowSmoke(t *testing.T) {
	for _, tool := range []string{"Xvfb", "import"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make deps`", tool)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "labelqa")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	demo := filepath.Join(dir, "demo")
	if out, err := exec.Command(bin, "demo", demo).CombinedOutput(); err != nil {
		t.Fatalf("labelqa demo: %v\n%s", err, out)
	}
	project := filepath.Join(demo, "demo.lqa")

	display := fmt.Sprintf(":%d", 90+os.Getpid()%500)
	xvfb := exec.Command("Xvfb", display, "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { xvfb.Process.Kill(); xvfb.Wait() }()
	waitFor(t, 10*time.Second, func() bool {
		return fileExists("/tmp/.X11-unix/X" + strings.TrimPrefix(display, ":"))
	})

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	app := exec.CommandContext(ctx, bin, project)
	app.Env = append(os.Environ(), "DISPLAY="+display, "LIBGL_ALWAYS_SOFTWARE=1", "HOME="+dir)
	var stderr strings.Builder
	app.Stderr = &stderr
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()

	// Poll screenshots until the window has drawn its content, or give up.
	shot := filepath.Join(dir, "window.png")
	var colours int
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			t.Fatalf("the workbench exited early: %v\n%s", err, stderr.String())
		case <-time.After(2 * time.Second):
		}
		if err := exec.Command("import", "-display", display, "-window", "root", shot).Run(); err != nil {
			continue
		}
		colours = distinctColours(t, shot)
		if colours >= 16 {
			break
		}
	}
	if out := os.Getenv("LABELQA_SMOKE_SHOT"); out != "" {
		data, _ := os.ReadFile(shot)
		os.WriteFile(out, data, 0o644)
	}
	if colours < 16 {
		t.Fatalf("the window did not draw: the screen has %d colours\n%s", colours, stderr.String())
	}
	t.Logf("window drew: %d distinct colours on screen", colours)
}

func distinctColours(t *testing.T, path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return 0
	}
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
		}
	}
	return len(seen)
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

func waitFor(t *testing.T, d time.Duration, ok func() bool) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if ok() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("Xvfb did not start")
}

// TestHeadlessStderrClean runs headless commands of the real binary under
// the locales CI and servers use: nothing may reach stderr on success (Fyne
// logs a locale error at start-up for C.UTF-8 unless internal/localeenv
// runs first).
func TestHeadlessStderrClean(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "labelqa")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, lang := range []string{"C.UTF-8", "C", "POSIX", "en_US.UTF-8", "nb_NO.UTF-8", "id_ID.UTF-8"} {
		cmd := exec.Command(bin, "version")
		cmd.Env = append(os.Environ(), "LANG="+lang, "LC_ALL=", "LC_MESSAGES=")
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil || stderr.Len() > 0 {
			t.Errorf("LANG=%s labelqa version: %v, stderr %q", lang, err, stderr.String())
		}
	}
}
