// The list inside a facet filter: the values with their counts, searchable, each included, excluded or neither.
import { EuiPopoverTitle, EuiSelectable, type EuiSelectableOption } from '@elastic/eui';

export interface FacetSelectableProps {
  label: string;
  options: EuiSelectableOption[];
  isLoading: boolean;
  onChange: (include: string[], exclude: string[]) => void;
  width: number;
}

export function FacetSelectable({ label, options, isLoading, onChange, width }: FacetSelectableProps) {
  return (
    <EuiSelectable
      aria-label={`${label} values`}
      searchable
      searchProps={{ placeholder: `Find a ${label.toLowerCase()}`, compressed: true }}
      options={options}
      allowExclusions
      isLoading={isLoading && options.length === 0}
      emptyMessage={`No ${label.toLowerCase()} values for these tasks`}
      listProps={{ showIcons: true }}
      onChange={(next) => {
        onChange(
          // The key is the value; the label may be a display name (a node's).
          next.filter((o) => o.checked === 'on').map((o) => o.key ?? o.label),
          next.filter((o) => o.checked === 'off').map((o) => o.key ?? o.label),
        );
      }}
    >
      {(list, search) => (
        <div style={{ width }}>
          <EuiPopoverTitle paddingSize="s">{search}</EuiPopoverTitle>
          {list}
        </div>
      )}
    </EuiSelectable>
  );
}
