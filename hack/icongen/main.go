// Command icongen draws InformerScope's PNG icons into web/.
//
// The icons are committed; this program exists so they can be redrawn
// without an image editor. go-app needs local 192 px and 512 px PNGs: its
// default icon is remote, and the service worker does not install offline
// when any cached resource fails to load.
//
// Run from the repository root: go run ./hack/icongen
package main

import (
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"path/filepath"
	"strconv"
)

// The same colours and geometry as web/icon.svg, in units of a 64-unit square.
var (
	background = color.RGBA{0x32, 0x6c, 0xe5, 0xff} // Kubernetes blue
	slot       = color.RGBA{0xff, 0xff, 0xff, 0xff}
	head       = color.RGBA{0xff, 0xd5, 0x4f, 0xff}
)

func main() {
	for _, size := range []int{192, 512} {
		name := filepath.Join("web", "icon-"+strconv.Itoa(size)+".png")
		if err := write(name, draw(size)); err != nil {
			log.Fatal(err)
		}
	}
}

// draw paints a queue: three slots in a row, the first (the head, the next
// item Pop returns) highlighted.
func draw(size int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	u := float64(size) / 64
	fill(img, 0, 0, 64, 64, u, background)
	fill(img, 8, 22, 20, 42, u, head)
	fill(img, 24, 22, 36, 42, u, slot)
	fill(img, 40, 22, 52, 42, u, slot)
	fill(img, 54, 30, 58, 34, u, slot) // the tail marker: items enter here
	return img
}

// fill paints the rectangle [x0,x1)×[y0,y1), given in 64ths, scaled by u.
func fill(img *image.RGBA, x0, y0, x1, y1, u float64, c color.RGBA) {
	for y := int(y0 * u); y < int(y1*u); y++ {
		for x := int(x0 * u); x < int(x1*u); x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

func write(name string, img image.Image) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
