// Reader for the technician routing and scheduling (TRSP) instances of Pillac, Gueret & Medaglia
// (2013) in VRP-REP XML (`shared/bench/routing/trsp-pillac`). Each technician starts and ends at
// home and has skills; each request needs one skill.
//
// The files are machine-written VRP-REP: elements, double-quoted attributes and plain text, no
// namespaces, comments, CDATA or entities. A ~40-line reader for that subset (below) is enough, and
// node has no XML parser, so no dependency is added for it.
//
// What the model maps: skills (request skill → job skill, driver skills → vehicle skills). The
// files carry no time windows or service times (they come from the Solomon instance the TRSP
// instance is built on), so those are taken from the matching Solomon file when given. Not
// modelled: tools and spare parts, which in the TRSP can be fetched at the central depot.
import { euclideanMatrix, type PlanePoint } from './matrix.ts';
import { InputError, type Problem } from './problem.ts';
import type { SolomonInstance } from './parsers.ts';

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

/** Parses the XML subset described above into an element tree. */
export function readXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.:-]+\s*=\s*"[^"]*")*)\s*(\/?)>|<\?[^>]*\?>|([^<]+)/g;
  let last = 0;
  for (let match = tag.exec(xml); match !== null; match = tag.exec(xml)) {
    if (match.index !== last) throw new InputError(`XML: unexpected text at offset ${last}`);
    last = tag.lastIndex;
    const parent = stack[stack.length - 1] as XmlElement;
    const [, closing, name, rawAttributes, selfClosing, text] = match;
    if (text !== undefined) {
      parent.text += text;
      continue;
    }
    if (name === undefined) continue; // the <?xml ...?> declaration
    if (closing === '/') {
      if (parent.name !== name) throw new InputError(`XML: </${name}> closes <${parent.name}>`);
      stack.pop();
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const a of (rawAttributes ?? '').matchAll(/([\w.:-]+)\s*=\s*"([^"]*)"/g)) attributes[a[1] as string] = a[2] as string;
    const element: XmlElement = { name, attributes, children: [], text: '' };
    parent.children.push(element);
    if (selfClosing !== '/') stack.push(element);
  }
  if (last !== xml.length) throw new InputError(`XML: cannot read from offset ${last}`);
  if (stack.length !== 1) throw new InputError(`XML: <${(stack[stack.length - 1] as XmlElement).name}> is not closed`);
  return root;
}

function child(element: XmlElement, name: string): XmlElement {
  const found = element.children.find((c) => c.name === name);
  if (found === undefined) throw new InputError(`TRSP file: <${element.name}> has no <${name}>`);
  return found;
}

function children(element: XmlElement, name: string): XmlElement[] {
  return element.children.filter((c) => c.name === name);
}

function numberOf(element: XmlElement, what: string): number {
  const value = Number(element.text.trim());
  if (element.text.trim() === '' || !Number.isFinite(value)) throw new InputError(`TRSP file: ${what} '${element.text.trim()}' is not a number`);
  return value;
}

export interface TrspInstance {
  name: string;
  problem: Problem;
}

/**
 * Builds a problem from a TRSP XML file. With `solomon` (the instance it is based on: same depot and
 * customers), jobs get its time windows and service times and technicians its depot horizon as
 * shift; without it, jobs have no windows and shifts are unbounded.
 */
export function parseTrsp(xml: string, solomon?: SolomonInstance): TrspInstance {
  const instance = child(readXml(xml), 'instance');
  const name = child(child(instance, 'info'), 'name').text.trim();
  const network = child(instance, 'network');
  const nodes = children(child(network, 'nodes'), 'node');
  const points: PlanePoint[] = [];
  const indexOfNode = new Map<string, number>();
  for (const node of nodes) {
    const id = node.attributes.id ?? '';
    indexOfNode.set(id, points.length);
    points.push({ x: numberOf(child(node, 'cx'), `node ${id} cx`), y: numberOf(child(node, 'cy'), `node ${id} cy`) });
  }
  const at = (id: string, what: string): number => {
    const index = indexOfNode.get(id);
    if (index === undefined) throw new InputError(`TRSP file: ${what} refers to unknown node '${id}'`);
    return index;
  };

  const skillsOfVehicleType = new Map<string, string[]>();
  const drivers = instance.children.find((c) => c.name === 'drivers');
  for (const driver of drivers === undefined ? [] : children(drivers, 'driver_profile')) {
    const skills = children(driver, 'skill').map((s) => `skill-${s.attributes.id ?? ''}`);
    for (const type of children(driver, 'compatible_vehicle_type')) skillsOfVehicleType.set(type.text.trim(), skills);
  }

  const depotWindow = solomon?.problem.vehicles[0]?.shift;
  const shift = depotWindow ?? { start: 0, end: Number.MAX_SAFE_INTEGER };
  const vehicles: Problem['vehicles'] = [];
  for (const profile of children(child(instance, 'fleet'), 'vehicle_profile')) {
    const type = profile.attributes.type ?? '';
    const count = Number(profile.attributes.number ?? '1');
    const start = at(child(profile, 'departure_node').text.trim(), `vehicle type ${type}`);
    const end = at(child(profile, 'arrival_node').text.trim(), `vehicle type ${type}`);
    for (let k = 0; k < count; k++) {
      vehicles.push({ id: count === 1 ? `t${type}` : `t${type}-${k}`, start, end, shift: { ...shift }, skills: skillsOfVehicleType.get(type) ?? [] });
    }
  }

  const solomonJobs = solomon?.problem.jobs;
  const solomonPoints = solomon?.points ?? [];
  const jobs: Problem['jobs'] = children(child(instance, 'requests'), 'request').map((request, k) => {
    const id = request.attributes.id ?? String(k);
    const location = at(request.attributes.node ?? '', `request ${id}`);
    const skills = children(request, 'skill').map((s) => `skill-${s.text.trim()}`);
    if (solomonJobs === undefined) return { id, location, skills };
    // Requests are the Solomon customers in order; the coordinates must agree.
    const base = solomonJobs[k];
    const p = points[location] as PlanePoint;
    const q = solomonPoints[k + 1];
    if (base === undefined || q === undefined || Math.abs(p.x - q.x) > 1e-9 || Math.abs(p.y - q.y) > 1e-9) {
      throw new InputError(`TRSP file: request ${id} does not match Solomon customer ${k + 1} of ${solomon?.name ?? ''}`);
    }
    return { id, location, skills, windows: base.windows, service: base.service };
  });
  if (jobs.length === 0 || vehicles.length === 0) throw new InputError('TRSP file: no requests or no technicians');
  return { name, problem: { matrix: euclideanMatrix(points), vehicles, jobs } };
}
