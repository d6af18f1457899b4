import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { areaName, useLanguage } from '../../lib/i18n.ts';
import { areaSearchQuery } from './api.ts';

/** Find an area by name (zh or en) or code and jump to it. */
export function AreaSearch({ onSelect }: { onSelect: (code: string) => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const listId = useId();
  const [text, setText] = useState('');
  const [debounced, setDebounced] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  useEffect(() => {
    const timer = window.setTimeout(() => setDebounced(text.trim()), 200);
    return () => window.clearTimeout(timer);
  }, [text]);
  const results = useQuery(areaSearchQuery(debounced));
  const items = debounced ? (results.data?.items ?? []) : [];
  useEffect(() => setActive(0), [debounced]);

  const choose = (code: string) => {
    onSelect(code);
    setOpen(false);
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setActive((i) => Math.min(items.length - 1, i + 1));
    else if (event.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
    else if (event.key === 'Enter') {
      const item = items[active];
      if (item) choose(item.code);
    } else if (event.key === 'Escape') {
      setOpen(false);
      (event.target as HTMLInputElement).blur();
    } else return;
    event.preventDefault();
    event.stopPropagation();
  };
  const showList = open && debounced.length > 0;
  return (
    <div className="search">
      <input
        type="search"
        value={text}
        placeholder={t('area.searchPlaceholder')}
        aria-label={t('area.searchLabel')}
        role="combobox"
        aria-expanded={showList}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={showList && items[active] ? `${listId}-${items[active].code}` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => window.setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      {showList ? (
        <ul id={listId} className="search-results" role="listbox">
          {items.length === 0 ? (
            <li className="muted">{results.isFetching ? '…' : t('area.searchEmpty')}</li>
          ) : (
            items.map((item, index) => (
              <li
                key={item.code}
                id={`${listId}-${item.code}`}
                role="option"
                aria-selected={index === active}
                className={index === active ? 'is-active' : undefined}
                onMouseDown={(event) => {
                  event.preventDefault();
                  choose(item.code);
                }}
              >
                <span className="level-tag">{t(`level.${item.level}`)}</span>
                <span>{areaName(item, language)}</span>
                <span className="mono muted">{item.code}</span>
              </li>
            ))
          )}
        </ul>
      ) : null}
    </div>
  );
}
