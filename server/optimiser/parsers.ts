// Readers for the benchmark formats: Solomon VRPTW text files and Cordeau-style OPTW/TOPTW files.
import { euclideanMatrix, type PlanePoint } from './matrix.ts';
import { InputError, type Problem } from './problem.ts';

export interface SolomonInstance {
  name: string;
  vehicleCount: number;
  capacity: number;
  /** Customer numbers as written in the file, in job order. */
  customers: number[];
  /** Depot then customers, as in the file (other formats built on Solomon are checked against them). */
  points: PlanePoint[];
  problem: Problem;
}

/** Solomon rules: Euclidean travel in double precision, service within windows, return by the depot's due time. */
export function parseSolomon(text: string): SolomonInstance {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const name = lines.find((line) => line !== '') ?? 'unnamed';
  const vehicleHeader = lines.findIndex((line) => /^NUMBER\s+CAPACITY/i.test(line));
  const fleet = lines.slice(vehicleHeader + 1).find((line) => line !== '');
  if (vehicleHeader < 0 || fleet === undefined) throw new InputError('Solomon file: VEHICLE section not found');
  const [vehicleCount, capacity] = fleet.split(/\s+/).map(Number);
  const rows: number[][] = [];
  const customerHeader = lines.findIndex((line) => /^CUST\s+NO/i.test(line));
  if (customerHeader < 0) throw new InputError('Solomon file: CUSTOMER section not found');
  for (const line of lines.slice(customerHeader + 1)) {
    if (line === '') continue;
    const fields = line.split(/\s+/).map(Number);
    if (fields.length < 7 || fields.some((f) => !Number.isFinite(f))) throw new InputError(`Solomon file: bad customer line '${line}'`);
    rows.push(fields);
  }
  if (vehicleCount === undefined || capacity === undefined || !Number.isInteger(vehicleCount) || rows.length < 2) {
    throw new InputError('Solomon file: missing fleet or customers');
  }
  const depot = rows[0] as number[];
  const points: PlanePoint[] = rows.map((r) => ({ x: r[1] as number, y: r[2] as number }));
  const customers = rows.slice(1).map((r) => r[0] as number);
  const problem: Problem = {
    matrix: euclideanMatrix(points),
    vehicles: Array.from({ length: vehicleCount }, (_, k) => ({
      id: `v${k + 1}`,
      start: 0,
      end: 0,
      shift: { start: depot[4] as number, end: depot[5] as number },
      capacity,
    })),
    jobs: rows.slice(1).map((r, i) => ({
      id: String(r[0]),
      location: i + 1,
      demand: r[3] as number,
      windows: [{ start: r[4] as number, end: r[5] as number }],
      service: r[6] as number,
    })),
  };
  return { name, vehicleCount, capacity, customers, points, problem };
}

export interface OptwInstance {
  name: string;
  customers: number[];
  problem: Problem;
}

/**
 * Cordeau-style orienteering files (Righini–Salani, Montemanni–Gambardella): header `k v N t`, a line
 * `D Q`, then `i x y d S f a list... O C` per vertex (vertex 0 = depot). Scores are collected once per
 * customer with `paths` routes from and back to the depot within its window.
 */
export function parseOptw(text: string, paths: number, name = 'optw'): OptwInstance {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  if (lines.length < 4) throw new InputError('OPTW file: too short');
  const vertices: { id: number; x: number; y: number; service: number; score: number; open: number; close: number }[] = [];
  for (const line of lines.slice(2)) {
    const f = line.split(/\s+/).map(Number);
    if (f.length < 9 || f.some((x) => !Number.isFinite(x))) throw new InputError(`OPTW file: bad vertex line '${line}'`);
    const combinations = f[6] as number;
    const rest = f.slice(7 + combinations);
    vertices.push({
      id: f[0] as number,
      x: f[1] as number,
      y: f[2] as number,
      service: f[3] as number,
      score: f[4] as number,
      open: rest[0] as number,
      close: rest[1] as number,
    });
  }
  const depot = vertices[0];
  if (depot === undefined || !Number.isInteger(paths) || paths < 1) throw new InputError('OPTW: need a depot and --vehicles >= 1');
  const problem: Problem = {
    matrix: euclideanMatrix(vertices),
    vehicles: Array.from({ length: paths }, (_, k) => ({ id: `p${k + 1}`, start: 0, end: 0, shift: { start: depot.open, end: depot.close } })),
    jobs: vertices.slice(1).map((v, i) => ({
      id: String(v.id),
      location: i + 1,
      service: v.service,
      windows: [{ start: v.open, end: v.close }],
      priority: v.score,
      mandatory: false,
    })),
  };
  return { name, customers: vertices.slice(1).map((v) => v.id), problem };
}
