/**
 * Whether this display can draw the map (WebGL2). Call it once per mount, not per render: every
 * probe creates a context, and a browser keeps only a few (it drops the oldest: the map's own).
 * The probe's context is released at once.
 */
export function supportsWebgl2(): boolean {
  try {
    const context = document.createElement('canvas').getContext('webgl2');
    context?.getExtension('WEBGL_lose_context')?.loseContext();
    return context !== null;
  } catch {
    return false;
  }
}
