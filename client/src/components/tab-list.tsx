// A row of tabs (WAI-ARIA tabs pattern): one tab stop, arrow keys move between tabs, each tab
// controls the panel `panelId`. The page keeps which tab is chosen.
export interface TabListProps<T extends string> {
  tabs: readonly T[];
  current: T;
  onSelect: (tab: T) => void;
  /** ids and test ids are `${idPrefix}${tab}` */
  idPrefix: string;
  panelId: string;
  label: string;
  labelOf: (tab: T) => string;
  className?: string;
}

export function TabList<T extends string>({ tabs, current, onSelect, idPrefix, panelId, label, labelOf, className }: TabListProps<T>) {
  return (
    <div className={className ? `tabs ${className}` : 'tabs'} role="tablist" aria-label={label}>
      {tabs.map((key) => (
        <button
          key={key}
          type="button"
          role="tab"
          id={`${idPrefix}${key}`}
          aria-selected={current === key}
          aria-controls={panelId}
          tabIndex={current === key ? 0 : -1}
          onClick={() => onSelect(key)}
          onKeyDown={(e) => {
            const i = tabs.indexOf(key);
            const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : undefined;
            if (next) {
              e.preventDefault();
              onSelect(next);
              document.getElementById(`${idPrefix}${next}`)?.focus();
            }
          }}
          data-testid={`${idPrefix}${key}`}
        >
          {labelOf(key)}
        </button>
      ))}
    </div>
  );
}
