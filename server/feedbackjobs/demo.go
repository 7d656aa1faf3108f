package feedbackjobs

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"time"

	"luot/server/feedback"
	"luot/server/geo"
	"luot/server/photo"
)

// DemoReports is how many sample reports SeedDemo makes.
const DemoReports = 30

// SampleLabel starts the description of every sample report.
const SampleLabel = "[Mẫu] "

// Photos is where SeedDemo's photos go: a pipeline that processes them as
// uploads are, and the folder that keeps them.
type Photos struct {
	Pipeline *photo.Pipeline
	Dir      *photo.Dir
}

// samples are the sample descriptions, by category id; other categories
// get the generic ones.
var samples = map[string][]string{
	"xay-dung":   {"Nhà đang xây thêm tầng, không thấy biển cấp phép", "Cơi nới ban công ra ngoài chỉ giới xây dựng", "Công trình để vật liệu tràn ra lòng đường"},
	"do-thi":     {"Hàng quán lấn chiếm hết vỉa hè, người đi bộ phải xuống lòng đường", "Biển quảng cáo treo sai quy định, có nguy cơ rơi", "Xe đẩy bán hàng rong chắn lối vào hẻm"},
	"moi-truong": {"Rác thải đổ trộm ở góc đường, bốc mùi", "Nước thải chảy tràn ra mặt đường", "Quán karaoke mở nhạc to sau 22 giờ"},
	"giao-thong": {"Đèn tín hiệu giao lộ không hoạt động", "Ổ gà lớn giữa đường, nguy hiểm cho xe máy", "Nhóm thanh niên tụ tập đua xe ban đêm"},
	"van-hoa":    {"Di tích bị viết vẽ bậy lên tường", "Dịch vụ du lịch chèo kéo khách", "Lễ hội để rác bừa bãi sau khi kết thúc"},
	"rung":       {"Có người chặt cây trong rừng phòng hộ", "Đốt thực bì gần bìa rừng, khói nhiều", "Xe chở gỗ không rõ nguồn gốc ra vào ban đêm"},
	"thuc-pham":  {"Quán ăn chế biến thực phẩm mất vệ sinh", "Bán thực phẩm không rõ nguồn gốc ở chợ", "Nước uống đóng chai không có nhãn mác"},
	"gia-ca":     {"Quầy hàng bán giá cao gấp đôi niêm yết", "Bãi giữ xe thu phí quá quy định", "Không niêm yết giá hàng hóa"},
	"thu-tuc":    {"Hồ sơ nộp quá hạn chưa được trả kết quả", "Cán bộ hướng dẫn chưa rõ ràng, phải đi lại nhiều lần", "Yêu cầu nộp thêm giấy tờ không có trong quy định"},
}

var generic = []string{"Cần cơ quan chức năng kiểm tra", "Tình trạng kéo dài nhiều ngày", "Mong được xử lý sớm"}

// plan is what happens to the i-th sample report after it is made: the
// actions, in order, and their actors' roles.
var plans = [][]feedback.Action{
	nil, // new
	{feedback.ActAccept},
	{feedback.ActAccept, feedback.ActAssign},
	{feedback.ActAccept, feedback.ActAssign, feedback.ActStart},
	{feedback.ActAccept, feedback.ActAssign, feedback.ActStart, feedback.ActAnswer, feedback.ActResolve},
	{feedback.ActAccept, feedback.ActAssign, feedback.ActStart, feedback.ActAnswer, feedback.ActResolve, feedback.ActSatisfied},
	{feedback.ActAccept, feedback.ActUnfounded},
	{feedback.ActRefuse},
	{feedback.ActDuplicate},
	{feedback.ActAccept, feedback.ActAssign, feedback.ActAnswer, feedback.ActResolve, feedback.ActReopen},
}

// SeedDemo makes DemoReports sample reports in the office of cfg, in
// every status, spread over the month before now, with generated photos
// ("MẪU / SAMPLE" drawn on them) and descriptions starting with
// SampleLabel, located in the configuration's wards (or with an address
// only, when it has none). It does so only when the office has no
// reports yet, and returns how many it made.
func SeedDemo(ctx context.Context, st feedback.Store, cfg *feedback.Config, ph Photos, now time.Time) (int, error) {
	have, err := st.Reports(ctx, feedback.Filter{Office: cfg.Office, Limit: 1})
	if err != nil {
		return 0, err
	}
	if len(have) > 0 || len(cfg.Categories) == 0 {
		return 0, nil
	}
	var hashes []string
	for i := range 6 {
		res, err := ph.Pipeline.Process(ctx, bytes.NewReader(SamplePhoto(i)))
		if err != nil {
			return 0, fmt.Errorf("sample photo %d: %w", i, err)
		}
		if err := ph.Dir.Save(res); err != nil {
			return 0, err
		}
		hashes = append(hashes, res.Hash)
	}
	points := wardPoints(cfg)
	moderator := feedback.Actor{Role: feedback.RoleModerator, ID: "demo", Name: "Cán bộ kiểm duyệt (mẫu)"}
	var codes []string
	for i := range DemoReports {
		cat := cfg.Categories[i%len(cfg.Categories)]
		texts := samples[cat.ID]
		if texts == nil {
			texts = generic
		}
		in := feedback.NewReport{
			Category:    cat.ID,
			Description: SampleLabel + texts[(i/len(cfg.Categories))%len(texts)],
			Photos:      []string{hashes[i%len(hashes)]},
			Channel:     feedback.ChannelWeb,
			TokenHash:   randomHash(),
		}
		if i%3 == 1 {
			in.Photos = append(in.Photos, hashes[(i+1)%len(hashes)])
		}
		if i%4 == 3 {
			in.Reporter = feedback.Reporter{Anonymous: true}
		} else {
			in.Reporter = feedback.Reporter{Name: fmt.Sprintf("Người dân mẫu %d", i+1), Phone: fmt.Sprintf("0900 000 %03d", i+1)}
		}
		if len(points) > 0 {
			p := points[i%len(points)]
			in.Place = feedback.Place{Point: &p, Accuracy: 10, Address: fmt.Sprintf("Số %d, đường mẫu", 10+i)}
		} else {
			in.Place = feedback.Place{Address: fmt.Sprintf("Số %d, đường mẫu", 10+i)}
		}
		at := now.Add(-time.Duration(DemoReports-i) * 23 * time.Hour)
		r, e, err := feedback.Create(cfg, in, at)
		if err != nil {
			return len(codes), fmt.Errorf("sample report %d: %w", i+1, err)
		}
		r, _, _, err = st.CreateReport(ctx, r, e, "")
		if err != nil {
			return len(codes), fmt.Errorf("sample report %d: %w", i+1, err)
		}
		handler := feedback.Actor{Role: feedback.RoleHandler, ID: "demo-" + r.Unit, Name: "Cán bộ xử lý (mẫu)", Unit: r.Unit}
		for k, a := range plans[i%len(plans)] {
			cmd := feedback.Command{Action: a, Actor: moderator}
			switch a {
			case feedback.ActStart, feedback.ActAnswer, feedback.ActResolve:
				cmd.Actor = handler
			case feedback.ActSatisfied, feedback.ActReopen:
				cmd.Actor = feedback.Actor{Role: feedback.RoleReporter}
			}
			switch a {
			case feedback.ActUnfounded:
				cmd.Reason = SampleLabel + "Kiểm tra thực tế không có vi phạm như phản ánh"
			case feedback.ActRefuse:
				cmd.Reason = SampleLabel + "Nội dung không thuộc thẩm quyền giải quyết của thành phố"
			case feedback.ActDuplicate:
				cmd.Reason = SampleLabel + "Đã có phản ánh cùng nội dung"
				cmd.DuplicateOf = codes[len(codes)-1]
			case feedback.ActAnswer:
				cmd.Text = SampleLabel + "Đơn vị đã kiểm tra, xử lý và khắc phục. Cảm ơn bạn đã phản ánh."
				cmd.Photos = []string{hashes[(i+3)%len(hashes)]}
			case feedback.ActReopen:
				cmd.Reason = SampleLabel + "Tình trạng vẫn còn, đề nghị xử lý lại"
			}
			when := at.Add(time.Duration(k+1) * 2 * time.Hour)
			if _, _, err := st.UpdateReport(ctx, r.Code, func(cur feedback.Report) (feedback.Event, error) {
				return feedback.Decide(cfg, cur, cmd, when)
			}); err != nil {
				return len(codes) + 1, fmt.Errorf("sample report %s, %s: %w", r.Code, a, err)
			}
		}
		codes = append(codes, r.Code)
		if c, ok := st.(checkpointer); ok {
			if err := c.Checkpoint(ctx); err != nil {
				return len(codes), err
			}
		}
	}
	return len(codes), nil
}

// checkpointer is a store with a write-ahead log it can empty (the SQLite
// store). SeedDemo empties it after each report: seeding is a burst of
// small transactions, each writing whole pages to the log, and on a small
// disk the log would fill it before SQLite empties it by itself.
type checkpointer interface {
	Checkpoint(ctx context.Context) error
}

// randomHash is the hash of a manage token nobody receives.
func randomHash() []byte {
	b := make([]byte, 32)
	rand.Read(b)
	h := sha256.Sum256(b)
	return h[:]
}

// wardPoints are points inside the configuration's wards, a few in each,
// taken in turn (ward 1, ward 2, ward 3, ward 1 …).
func wardPoints(cfg *feedback.Config) []geo.Point {
	var per [][]geo.Point
	for _, u := range cfg.Units {
		if u.Kind != feedback.UnitWard || len(u.Area) == 0 {
			continue
		}
		sw, ne, ok := u.Area.Bounds()
		if !ok {
			continue
		}
		var in []geo.Point
		const n = 7
		for y := 1; y < n; y++ {
			for x := 1; x < n; x++ {
				p := geo.Point{Lat: sw.Lat + (ne.Lat-sw.Lat)*float64(y)/n, Lon: sw.Lon + (ne.Lon-sw.Lon)*float64((x*3+y)%n+1)/(n+1)}
				if u.Area.Contains(p) {
					in = append(in, p)
				}
			}
		}
		if len(in) > 0 {
			per = append(per, in)
		}
	}
	var out []geo.Point
	for k := 0; ; k++ {
		added := false
		for _, in := range per {
			if k < len(in) {
				out = append(out, in[k])
				added = true
			}
		}
		if !added {
			return out
		}
	}
}

// palette are the sample photos' background and shape colours.
var palette = [][2]color.RGBA{
	{{0x2e, 0x7d, 0x32, 0xff}, {0xff, 0xeb, 0x3b, 0xff}},
	{{0x15, 0x65, 0xc0, 0xff}, {0xff, 0xff, 0xff, 0xff}},
	{{0x6d, 0x4c, 0x41, 0xff}, {0xff, 0x98, 0x00, 0xff}},
	{{0x45, 0x5a, 0x64, 0xff}, {0xe5, 0x39, 0x35, 0xff}},
	{{0x8e, 0x24, 0xaa, 0xff}, {0xa5, 0xd6, 0xa7, 0xff}},
	{{0x00, 0x83, 0x8f, 0xff}, {0xff, 0xcc, 0xbc, 0xff}},
}

// SamplePhoto is the i-th generated sample photo, a PNG of 720×540: a
// solid colour, a shape (a disc, a square or a triangle) and the words
// "MẪU / SAMPLE", so that nobody takes it for a real report's photo.
func SamplePhoto(i int) []byte {
	const w, h = 720, 540
	pal := palette[i%len(palette)]
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{pal[0]}, image.Point{}, draw.Src)
	cx, cy, r := w/2, 200, 120
	for y := cy - r; y <= cy+r; y++ {
		for x := cx - r; x <= cx+r; x++ {
			dx, dy := x-cx, y-cy
			var in bool
			switch i % 3 {
			case 0:
				in = dx*dx+dy*dy <= r*r
			case 1:
				in = true
			default:
				in = dy >= -r && 2*abs(dx) <= dy+r
			}
			if in {
				img.SetRGBA(x, y, pal[1])
			}
		}
	}
	drawText(img, "MẪU / SAMPLE", 8, 400, color.RGBA{0xff, 0xff, 0xff, 0xff})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err) // encoding an in-memory RGBA image does not fail
	}
	return buf.Bytes()
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// glyphs is a 5×7 bitmap font of the letters of "MẪU / SAMPLE"; the
// accents of Ẫ are drawn above it (accents).
var glyphs = map[rune][7]string{
	'M': {"X...X", "XX.XX", "X.X.X", "X.X.X", "X...X", "X...X", "X...X"},
	'A': {".XXX.", "X...X", "X...X", "XXXXX", "X...X", "X...X", "X...X"},
	'U': {"X...X", "X...X", "X...X", "X...X", "X...X", "X...X", ".XXX."},
	'S': {".XXXX", "X....", "X....", ".XXX.", "....X", "....X", "XXXX."},
	'P': {"XXXX.", "X...X", "X...X", "XXXX.", "X....", "X....", "X...."},
	'L': {"X....", "X....", "X....", "X....", "X....", "X....", "XXXXX"},
	'E': {"XXXXX", "X....", "X....", "XXXX.", "X....", "X....", "XXXXX"},
	'/': {"....X", "...X.", "...X.", "..X..", ".X...", ".X...", "X...."},
	' ': {".....", ".....", ".....", ".....", ".....", ".....", "....."},
}

// accents are the tilde and circumflex of Ẫ, rows above the A.
var accents = []string{".XX.X", "X..X.", "..X..", ".X.X."}

// drawText draws s centred across img, its letters' top at y, each dot
// scale pixels wide.
func drawText(img *image.RGBA, s string, scale, y int, c color.RGBA) {
	runes := []rune(s)
	width := len(runes)*6*scale - scale
	x0 := (img.Bounds().Dx() - width) / 2
	dot := func(x, y int) {
		for yy := y; yy < y+scale; yy++ {
			for xx := x; xx < x+scale; xx++ {
				img.SetRGBA(xx, yy, c)
			}
		}
	}
	for k, r := range runes {
		x := x0 + k*6*scale
		g, ok := glyphs[r]
		if r == 'Ẫ' {
			g, ok = glyphs['A'], true
			for row, line := range accents {
				for col, ch := range line {
					if ch == 'X' {
						dot(x+col*scale, y-(len(accents)+1-row)*scale)
					}
				}
			}
		}
		if !ok {
			continue
		}
		for row, line := range g {
			for col, ch := range strings.Split(line, "") {
				if ch == "X" {
					dot(x+col*scale, y+row*scale)
				}
			}
		}
	}
}
