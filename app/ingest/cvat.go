package ingest

import (
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"labelqa/app/remedy"
)

// Limits for XML input (CVAT for images 1.1). With them a CVAT file is read in
// memory bounded by the caps whatever its size, plus 16 bytes per image read (a
// hash of its item id, to notice an image given twice); of each task or job of
// <meta> only its id and one username are kept.
const (
	// MaxXMLDepth is the deepest element nesting accepted; CVAT's files nest
	// about 10 deep.
	MaxXMLDepth = 64
	// MaxXMLToken is the most bytes one tag, text or comment may take (a CVAT
	// <image> tag is a few hundred bytes); the names and attributes of the
	// elements open at once, and the labels of one image's tags, are held to it too.
	MaxXMLToken = 4 << 20
	// MaxCVATUnits is the most tasks and jobs a file's <meta> may describe.
	MaxCVATUnits = 100_000
	// MaxCVATUnitElements is the most child elements one task or job of <meta>
	// may have (CVAT writes about 20).
	MaxCVATUnitElements = 10_000
	// MaxCVATTags is the most <tag>s one <image> may hold.
	MaxCVATTags = 10_000
	// MaxCVATMetaText is the most bytes of ids and distinct usernames kept from
	// the tasks and jobs of <meta> (a few bytes each in a CVAT export).
	MaxCVATMetaText = 16 << 20
	maxXMLText      = 1 << 10 // an id or a username in <meta> (CVAT usernames have at most 150 characters)
	maxUserKeys     = 20      // names of <meta> elements with a <username> kept for messages
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

// cvatUnit is a task or job described in <meta>: its id, the username of its
// <assignee> (or of the element --map annotator_id names), and how many jobs
// (<segment>s) it lists.
type cvatUnit struct {
	kind, id, user string
	segments       int
	children       int
}

// cvatImage is the <image> being read.
type cvatImage struct {
	row                int
	id, name, task     string
	labels             []string
	labelBytes, badTag int // badTag: line of a <tag> without a label
}

// readCVAT reads a CVAT for images 1.1 XML file: one record per <image> with at
// least one <tag>, its labels the tags' labels, its item the image's name
// (<task_id>/<name> when the image names its task, as in a project export). The
// labeler is the assignee of the image's job (a job export), or of its task when
// the task has one job; else the element --map annotator_id names, else the
// file's name unless that is CVAT's default "annotations".
func (s *scanner) readCVAT(r io.Reader) error {
	s.sum.Format = "cvat"
	for name, v := range s.opts.Map {
		if f, _ := fieldByName(name); f != fAnnotator {
			return s.problemHint(remedy.Map("annotator_id", "element"), "%s is mapped to %q, but CVAT XML takes no mapping for it: the item is the image's name and the labels are its <tag> labels; only annotator_id can be mapped, to a <meta> element with a <username>, like owner", name, v)
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
		depth    int
		path     []string
		openSize []int // bytes of names and attributes of each open element
		openSum  int
		units    []*cvatUnit
		byTask   = map[string]*cvatUnit{}
		ustack   []int       // depth of each open task or job
		open     []*cvatUnit // the open tasks and jobs
		child    string      // the open unit's child element being read (assignee, owner…)
		collect  string      // what the text read goes to: "id", or a child's username
		cdepth   int         // depth of the element whose text is collected
		text     strings.Builder
		img      *cvatImage
		rooted   bool
		fileAnn  string
		userKeys = map[string]bool{}   // <meta> elements seen with a <username> (for messages)
		names    = map[string]string{} // the ids and usernames kept, each once
		metaText int                   // their bytes
		items    = map[[16]byte]int{}  // hash of each item id read -> its line
		n        int
	)
	line := func() int { l, _ := d.InputPos(); return l }

	// fileUnit is the one job (or, without jobs, the one task) of the <meta>,
	// which an image without a task_id belongs to; found once, at the first
	// such image (the <meta> comes before the images).
	var fileUnit *cvatUnit
	fileUnitFound := false
	unitOfFile := func() *cvatUnit {
		if fileUnitFound {
			return fileUnit
		}
		fileUnitFound = true
		var tasks, jobs []*cvatUnit
		for _, x := range units {
			if x.kind == "job" {
				jobs = append(jobs, x)
			} else {
				tasks = append(tasks, x)
			}
		}
		if len(jobs) == 1 {
			fileUnit = jobs[0]
		} else if len(jobs) == 0 && len(tasks) == 1 {
			fileUnit = tasks[0]
		}
		return fileUnit
	}

	// labeler names who labeled an image of task (its task_id, "" when not given).
	labeler := func(task string) (string, string, error) {
		var u *cvatUnit
		switch {
		case task != "" && byTask[task] != nil:
			u = byTask[task]
		default:
			u = unitOfFile()
		}
		if u != nil && u.user != "" {
			if u.kind == "task" && !mapped && u.segments != 1 {
				jobs := fmt.Sprintf("lists %d jobs (<segment>s)", u.segments)
				if u.segments == 0 {
					jobs = "lists no jobs (<segments>)"
				}
				return "", "", remedy.With(fmt.Errorf("the <meta> of task %s %s, not one, and names only the task's assignee (%s), who need not have labeled every job: each job has its own assignee, which only a job export names; "+
					"export each job separately (in CVAT: the job's menu, Export job dataset, CVAT for images 1.1), or credit the task's assignee with every image", clip(u.id), jobs, clip(u.user)), remedy.MapTo("annotator_id", "assignee"))
			}
			return u.user, "meta " + u.kind + " " + userKey, nil
		}
		if mapped {
			var found []string
			for k := range userKeys {
				found = append(found, k)
			}
			sort.Strings(found)
			return "", "", remedy.With(fmt.Errorf("annotator_id is mapped to element %q, but the <meta> of this image's task or job has no <%s> with a <username>; elements with one: %s; map annotator_id to one of them", userKey, userKey, quoteList(found)), remedy.Map("annotator_id", "element"))
		}
		if fileAnn == "" {
			fileAnn = fileLabeler(s.file, "annotations")
		}
		if fileAnn == "" {
			return "", "", remedy.With(fmt.Errorf("the CVAT export names no assignee (no <assignee> with a <username> in the <meta> of the task or job) and %s is CVAT's default file name, so the labeler is unknown; "+
				"assign the job in CVAT and export again, rename the file after the labeler (alice.xml), or take the labeler from another <meta> element, like owner", filepath.Base(s.file)), remedy.MapTo("annotator_id", "owner"))
		}
		s.sum.FileLabeler = fileAnn
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
		item := im.name
		if strings.TrimSpace(im.name) == "" {
			b.addf(im.row, 0, fItemID, "<image id=%q> has no name attribute; export the task again as CVAT for images 1.1", clip(im.id))
		} else {
			if im.task != "" {
				item = im.task + "/" + im.name // images of different tasks may share a name
			}
			h := sha256.Sum256([]byte(item))
			key := [16]byte(h[:16])
			if first, ok := items[key]; ok {
				if im.task != "" {
					b.addf(im.row, 0, fItemID, "the image %q of task %s is also on line %d, so the two would be one item; CVAT names a task's images apart, so the file was edited or joined from several exports: export the project or the task again", clip(im.name), clip(im.task), first)
				} else {
					b.addf(im.row, 0, fItemID, "the image %q is also on line %d, and no task_id tells the two apart, so they would be one item; "+
						"export each task separately, or the whole project (its images carry their task_id)", clip(im.name), first)
				}
			} else {
				items[key] = im.row
			}
		}
		b.set(fItemID, item, im.row, 0)
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
			if im.task != "" {
				s.sum.Columns["item_id"] = "image task_id/name"
			}
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
			size := len(t.Name.Space) + len(t.Name.Local)
			for _, a := range t.Attr {
				size += len(a.Name.Space) + len(a.Name.Local) + len(a.Value)
			}
			if openSum += size; openSum > MaxXMLToken {
				return s.problemAt(line(), "the elements open here hold more than %d MiB of names and attributes, which a CVAT export never does; export the task again as CVAT for images 1.1", MaxXMLToken>>20)
			}
			openSize = append(openSize, size)
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
				l := strings.TrimSpace(xmlAttr(t, "label"))
				if len(img.labels) >= MaxCVATTags || img.labelBytes+len(l) > MaxXMLToken {
					return s.problemAt(line(), "the image %q has more than %d <tag>s (or more than %d MiB of tag labels), which no image classification export holds; check that the file is CVAT for images 1.1 of a classification task, and export it again", clip(img.name), MaxCVATTags, MaxXMLToken>>20)
				}
				if l != "" {
					img.labels = append(img.labels, l)
					img.labelBytes += len(l)
				} else if img.badTag == 0 {
					img.badTag = line()
				}
			case depth >= 3 && path[1] == "meta" && (name == "task" || name == "job") && (depth == 3 || path[depth-2] == "tasks" || path[depth-2] == "jobs"):
				if len(units) >= MaxCVATUnits {
					return s.problemAt(line(), "the <meta> describes more than %d tasks and jobs (limit); export the tasks one at a time", MaxCVATUnits)
				}
				u := &cvatUnit{kind: name}
				units = append(units, u)
				open = append(open, u)
				ustack = append(ustack, depth)
			case len(ustack) > 0 && depth == ustack[len(ustack)-1]+1:
				u := open[len(open)-1]
				if u.children++; u.children > MaxCVATUnitElements {
					return s.problemAt(line(), "the <%s> in <meta> has more than %d child elements (limit; CVAT writes about 20), so this is not a CVAT export; export the task again as CVAT for images 1.1", u.kind, MaxCVATUnitElements)
				}
				child = name
				if name == "id" {
					collect, cdepth = "id", depth
					text.Reset()
				}
			case len(ustack) > 0 && depth == ustack[len(ustack)-1]+2 && child == "segments" && name == "segment":
				open[len(open)-1].segments++
			case len(ustack) > 0 && depth == ustack[len(ustack)-1]+2 && name == "username":
				collect, cdepth = child, depth
				text.Reset()
			}
		case xml.CharData:
			if collect != "" {
				if text.Len()+len(t) > maxXMLText {
					return s.problemAt(line(), "the <%s> here holds more than %d bytes, which a CVAT export never does (ids and usernames are short); export the task again as CVAT for images 1.1", path[len(path)-1], maxXMLText)
				}
				text.Write(t)
			}
		case xml.EndElement:
			if collect != "" && depth == cdepth {
				u, v := open[len(open)-1], strings.TrimSpace(text.String())
				keep := collect == "id" || collect == userKey
				if kept, ok := names[v]; ok {
					v = kept
				} else if keep {
					if metaText += len(v); metaText > MaxCVATMetaText {
						return s.problemAt(line(), "the <meta> holds more than %d MiB of task and job ids and usernames (limit), which a CVAT export never does; export the tasks one at a time", MaxCVATMetaText>>20)
					}
					names[v] = v
				}
				switch {
				case collect == "id" && depth == ustack[len(ustack)-1]+1:
					u.id = v
				case v != "":
					if collect == userKey {
						u.user = v
					}
					if len(userKeys) < maxUserKeys {
						userKeys[clip(collect)] = true
					}
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
			openSum -= openSize[len(openSize)-1]
			openSize = openSize[:len(openSize)-1]
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
