package ingest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
)

// Limits for XML input (CVAT for images 1.1).
const (
	// MaxXMLDepth is the deepest element nesting accepted; CVAT's files nest
	// about 10 deep.
	MaxXMLDepth = 64
	// MaxXMLToken is the most bytes one tag, text or comment may take, like a
	// JSONL line.
	MaxXMLToken = 64 << 20
	// MaxCVATUnits is the most tasks and jobs a file's <meta> may describe.
	MaxCVATUnits = 100_000
	maxXMLText   = 4 << 10 // text kept of a <meta> element (an id, a username)
)

var errXMLToken = errors.New("XML token over the limit")

// tokenCap fails a read once more than MaxXMLToken bytes went by since mark,
// which the reader moves before asking for each token.
type tokenCap struct {
	r       io.Reader
	n, mark int64
}

func (t *tokenCap) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	t.n += int64(n)
	if t.n-t.mark > MaxXMLToken {
		return n, errXMLToken
	}
	return n, err
}

// cvatUnit is a task or job described in <meta>, with the usernames of its
// <assignee>, <owner>… elements.
type cvatUnit struct {
	kind, id string
	users    map[string]string
}

// cvatImage is the <image> being read.
type cvatImage struct {
	row            int
	id, name, task string
	labels         []string
	badTag         int // line of a <tag> without a label
}

// readCVAT reads a CVAT for images 1.1 XML file: one record per <image> with at
// least one <tag>, its labels the tags' labels. The labeler is the assignee of
// the image's task or job in <meta> (or the element --map annotator_id names),
// else the file's name unless that is CVAT's default "annotations".
func (s *scanner) readCVAT(r io.Reader) error {
	s.sum.Format = "cvat"
	for name, v := range s.opts.Map {
		if f, _ := fieldByName(name); f != fAnnotator {
			return s.problem("--map %s=%s does not apply to CVAT XML: the item is the image's name and the labels are its <tag> labels; only --map annotator_id=ELEMENT (a <meta> element with a <username>, like owner) applies", name, v)
		}
	}
	userKey, mapped := "assignee", false
	if v := strings.TrimSpace(s.opts.Map["annotator_id"]); v != "" {
		userKey, mapped = v, true
	}
	tc := &tokenCap{r: r}
	d := xml.NewDecoder(tc)
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil } // already decoded to UTF-8
	b := newBuilder(s.file, s.gold, s.errs)

	var (
		depth   int
		path    []string
		units   []*cvatUnit
		byTask  = map[string]*cvatUnit{}
		ustack  []int       // depth of each open task or job
		open    []*cvatUnit // the open tasks and jobs
		child   string      // the open unit's child element being read (assignee, owner…)
		collect string      // what the text read goes to: "id", or a child's username
		cdepth  int         // depth of the element whose text is collected
		text    strings.Builder
		img     *cvatImage
		rooted  bool
		fileAnn string
		n       int
	)
	line := func() int { l, _ := d.InputPos(); return l }

	// labeler names who labeled an image of task (its task_id, "" when not given).
	labeler := func(task string) (string, string, error) {
		var u *cvatUnit
		switch {
		case task != "" && byTask[task] != nil:
			u = byTask[task]
		default:
			var tasks, jobs []*cvatUnit
			for _, x := range units {
				if x.kind == "job" {
					jobs = append(jobs, x)
				} else {
					tasks = append(tasks, x)
				}
			}
			if len(jobs) == 1 {
				u = jobs[0]
			} else if len(jobs) == 0 && len(tasks) == 1 {
				u = tasks[0]
			}
		}
		if u != nil && u.users[userKey] != "" {
			return u.users[userKey], "meta " + u.kind + " " + userKey, nil
		}
		if mapped {
			var found []string
			for _, x := range units {
				for k := range x.users {
					found = append(found, k)
				}
			}
			sort.Strings(found)
			found = dedupe(found)
			return "", "", fmt.Errorf("--map annotator_id=%s: the <meta> of this image's task or job has no <%s> with a <username>; elements with one: %s", userKey, userKey, quoteList(found))
		}
		if fileAnn == "" {
			fileAnn = fileLabeler(s.file, "annotations")
		}
		if fileAnn == "" {
			return "", "", fmt.Errorf("the CVAT export names no assignee (no <assignee> with a <username> in the <meta> of the task or job) and %s is CVAT's default file name, so the labeler is unknown; "+
				"assign the job in CVAT and export again, rename the file after the labeler (alice.xml), or take the labeler from another <meta> element with --map annotator_id=owner", filepath.Base(s.file))
		}
		return fileAnn, "file name (" + fileAnn + ")", nil
	}

	// emit hands the finished image to the callback.
	emit := func(im *cvatImage) (stop bool, err error) {
		if im.badTag > 0 {
			s.sum.Rows++
			s.errs.Add(&Error{File: s.file, Row: im.badTag, Field: "label", Err: fmt.Errorf("the <tag> on image %q has no label attribute; export the task again as CVAT for images 1.1", clip(im.name))})
			return false, nil
		}
		if len(im.labels) == 0 {
			s.sum.Skipped++ // an image without tags: not labeled (or labeled with shapes only)
			return false, nil
		}
		s.sum.Rows++
		b.start(im.row)
		if strings.TrimSpace(im.name) == "" {
			b.addf(im.row, 0, fItemID, "<image id=%q> has no name attribute; export the task again as CVAT for images 1.1", clip(im.id))
		}
		b.set(fItemID, im.name, im.row, 0)
		src := ""
		if !s.gold {
			ann, from, err := labeler(im.task)
			if err != nil {
				s.errs.Add(&Error{File: s.file, Row: im.row, Err: err})
				return true, nil
			}
			b.set(fAnnotator, ann, im.row, 0)
			src = from
		}
		if len(s.sum.Columns) == 0 {
			s.sum.Columns = ColumnMapping{"item_id": "image name", "label": "image tag label"}
			if src != "" {
				s.sum.Columns["annotator_id"] = src
			}
		}
		for _, l := range im.labels {
			b.set(fLabel, l, im.row, 0)
		}
		if err := b.finish(nil, s.fn, s.gfn); err != nil {
			return true, fatal{err}
		}
		if !b.bad {
			s.sum.Records++
		}
		return false, nil
	}

	for {
		tc.mark = tc.n
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return s.xmlError(err, line())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth > MaxXMLDepth {
				return s.problemAt(line(), "the XML nests more than %d elements deep, which a CVAT export never does; export the task again as CVAT for images 1.1", MaxXMLDepth)
			}
			name := t.Name.Local
			path = append(path, name)
			switch {
			case depth == 1:
				if name != "annotations" {
					return s.problemAt(line(), "the XML root is <%s>, not <annotations>, so this is not a CVAT for images 1.1 export; export the task from CVAT in that format", clip(name))
				}
				rooted = true
			case depth == 2 && name == "image":
				img = &cvatImage{row: line(), id: xmlAttr(t, "id"), name: strings.TrimSpace(xmlAttr(t, "name")), task: strings.TrimSpace(xmlAttr(t, "task_id"))}
			case depth == 2 && name == "track":
				return s.problemAt(line(), "the file holds <track> elements, so it is a CVAT for video export; export the task as CVAT for images 1.1, whose image-level <tag>s LabelQA reads")
			case depth == 3 && img != nil && name == "tag":
				if l := strings.TrimSpace(xmlAttr(t, "label")); l != "" {
					img.labels = append(img.labels, l)
				} else if img.badTag == 0 {
					img.badTag = line()
				}
			case depth >= 3 && path[1] == "meta" && (name == "task" || name == "job") && (depth == 3 || path[depth-2] == "tasks" || path[depth-2] == "jobs"):
				if len(units) >= MaxCVATUnits {
					return s.problemAt(line(), "the <meta> describes more than %d tasks and jobs (limit); export the tasks one at a time", MaxCVATUnits)
				}
				u := &cvatUnit{kind: name, users: map[string]string{}}
				units = append(units, u)
				open = append(open, u)
				ustack = append(ustack, depth)
			case len(ustack) > 0 && depth == ustack[len(ustack)-1]+1:
				child = name
				if name == "id" {
					collect, cdepth = "id", depth
					text.Reset()
				}
			case len(ustack) > 0 && depth == ustack[len(ustack)-1]+2 && name == "username":
				collect, cdepth = child, depth
				text.Reset()
			}
		case xml.CharData:
			if collect != "" && text.Len() < maxXMLText {
				text.Write(t[:min(len(t), maxXMLText-text.Len())])
			}
		case xml.EndElement:
			if collect != "" && depth == cdepth {
				u, v := open[len(open)-1], strings.TrimSpace(text.String())
				if collect == "id" && depth == ustack[len(ustack)-1]+1 {
					u.id = v
				} else {
					u.users[collect] = v
				}
				collect = ""
			}
			if len(ustack) > 0 && depth == ustack[len(ustack)-1] {
				u := open[len(open)-1]
				if u.kind == "task" && u.id != "" && byTask[u.id] == nil {
					byTask[u.id] = u
				}
				ustack, open = ustack[:len(ustack)-1], open[:len(open)-1]
			}
			if depth == 2 && img != nil {
				im := img
				img = nil
				stop, err := emit(im)
				if err != nil || stop {
					return err
				}
				if n++; n&1023 == 0 {
					if err := s.ctx.Err(); err != nil {
						return err
					}
				}
			}
			depth--
			path = path[:len(path)-1]
			if depth == 0 {
				return s.cvatEnd()
			}
		}
	}
	if !rooted {
		return s.problem("the file holds no XML element; export the task from CVAT as CVAT for images 1.1")
	}
	return s.cvatEnd()
}

// cvatEnd reports a file that gave no record and no problem.
func (s *scanner) cvatEnd() error {
	if s.sum.Rows == 0 && s.errs.Total == 0 {
		return s.problem("no image has a <tag>: LabelQA reads CVAT's image-level tags (classification), not boxes, polygons or other shapes; label the images with tags and export the task as CVAT for images 1.1")
	}
	return nil
}

// xmlError records a problem after which the XML cannot be read on.
func (s *scanner) xmlError(err error, line int) error {
	if tp := asTextProblem(err); tp != nil {
		s.errs.Add(textProblemError(s.file, tp))
		return nil
	}
	if ctxErr := s.ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var se *xml.SyntaxError
	switch {
	case errors.Is(err, errXMLToken):
		return s.problemAt(line, "an XML tag, text or comment here is longer than %d MiB, which a CVAT export never holds; export the task again as CVAT for images 1.1", MaxXMLToken>>20)
	case errors.As(err, &se) && se.Msg == "unexpected EOF":
		return s.problemAt(se.Line, "the XML ends in the middle of an element, so the file looks truncated; export it again")
	case errors.As(err, &se):
		return s.problemAt(se.Line, "invalid XML (%s); fix the file or export it again", se.Msg)
	}
	return err
}

func xmlAttr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func dedupe(sorted []string) []string {
	out := sorted[:0]
	for i, v := range sorted {
		if i == 0 || v != sorted[i-1] {
			out = append(out, v)
		}
	}
	return out
}
