// The oracle of server/geo's VN-2000 test: converts VN-2000 positions to
// WGS 84 and WGS 84 points to VN-2000 with proj4, independently of Lượt's
// code. Reads {"meridian": 105.75, "zone": 3, "vn": [[easting, northing],
// ...], "wgs": [[lon, lat], ...]} on stdin, writes {"wgs": [[lon, lat],
// ...], "vn": [[easting, northing], ...]} on stdout.
"use strict";
const proj4 = require("proj4");

let input = "";
process.stdin.on("data", (c) => { input += c; });
process.stdin.on("end", () => {
  const q = JSON.parse(input);
  const k = q.zone === 6 ? 0.9996 : 0.9999;
  // The seven parameters of Decision 05/2007/QĐ-BTNMT, as proj writes them.
  const vn2000 = `+proj=tmerc +lat_0=0 +lon_0=${q.meridian} +k=${k} +x_0=500000 +y_0=0 +ellps=WGS84 ` +
    "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278 +units=m +no_defs";
  const wgs84 = "+proj=longlat +datum=WGS84 +no_defs";
  const out = {
    wgs: (q.vn || []).map((p) => proj4(vn2000, wgs84, p)),
    vn: (q.wgs || []).map((p) => proj4(wgs84, vn2000, p)),
  };
  process.stdout.write(JSON.stringify(out));
});
