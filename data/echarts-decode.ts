// Decoder for ECharts' compressed GeoJSON ("UTF8Encoding"), after decodePolygon in
// apache/echarts src/coord/geo/parseGeoJson.ts: each ring is a string of character pairs,
// zigzag- and delta-encoded from the ring's encodeOffsets, quantised by UTF8Scale (default 1024).

export type Ring = Array<[number, number]>;

export interface CompressedGeometry {
  type: 'Polygon' | 'MultiPolygon';
  coordinates: string[] | string[][];
  encodeOffsets: Array<[number, number]> | Array<Array<[number, number]>>;
}

export interface CompressedFeature {
  id?: string;
  type: 'Feature';
  properties: { name: string; cp?: [number, number]; childNum?: number };
  geometry: CompressedGeometry & { id?: string };
}

export interface CompressedCollection {
  type: 'FeatureCollection';
  UTF8Encoding?: boolean;
  UTF8Scale?: number;
  features: CompressedFeature[];
}

export function decodeRing(encoded: string, offset: readonly [number, number], scale = 1024): Ring {
  const ring: Ring = [];
  let prevX = offset[0];
  let prevY = offset[1];
  for (let i = 0; i + 1 < encoded.length; i += 2) {
    let x = encoded.charCodeAt(i) - 64;
    let y = encoded.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += prevX;
    y += prevY;
    prevX = x;
    prevY = y;
    ring.push([x / scale, y / scale]);
  }
  return ring;
}

/** Decodes a feature's geometry into MultiPolygon coordinates (a Polygon becomes one part). */
export function decodeGeometry(geometry: CompressedGeometry, scale = 1024): Ring[][] {
  if (geometry.type === 'Polygon') {
    const rings = geometry.coordinates as string[];
    const offsets = geometry.encodeOffsets as Array<[number, number]>;
    return [rings.map((ring, index) => decodeRing(ring, requireOffset(offsets[index]), scale))];
  }
  const parts = geometry.coordinates as string[][];
  const offsets = geometry.encodeOffsets as Array<Array<[number, number]>>;
  return parts.map((rings, part) => rings.map((ring, index) => decodeRing(ring, requireOffset(offsets[part]?.[index]), scale)));
}

function requireOffset(offset: [number, number] | undefined): [number, number] {
  if (!offset) throw new Error('compressed geometry has a ring without encodeOffsets');
  return offset;
}
