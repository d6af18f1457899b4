/** The page's title block at the left of the top bar. */
export function PageBrand({ title, subtitle }: { title: string; subtitle: string }) {
  return (
    <div className="brand">
      <span className="brand-mark" aria-hidden="true" />
      <div>
        <h1>{title}</h1>
        <div className="brand-sub">{subtitle}</div>
      </div>
    </div>
  );
}
