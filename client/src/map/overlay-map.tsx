// The map for pages that draw their own layers over the city (inspection routes, report statuses):
// no site categories, no list hover, the standard labels. Memoised, so it redraws only when one of
// its inputs changes, not with every state change of the page around it.
import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { MapView, type MapViewProps } from './map-view.tsx';

type OverlayMapProps = Pick<MapViewProps, 'config' | 'layers' | 'area' | 'subAreas' | 'frame' | 'scale'> &
  Partial<Pick<MapViewProps, 'onClickChild'>>;

const noCategories = new Set<never>();
const noop = () => undefined;
const StableMapView = memo(MapView);

export function OverlayMap({ onClickChild = noop, ...props }: OverlayMapProps) {
  const { t } = useTranslation();
  return (
    <StableMapView
      {...props}
      highlightCode={null}
      enabledCategories={noCategories}
      attribution={t('map.attribution')}
      paddingLeft={0}
      onClickChild={onClickChild}
      onClickTileAreas={noop}
      loadingLabel={t('map.loading')}
      webglFailedLabel={t('map.webglFailed')}
    />
  );
}
