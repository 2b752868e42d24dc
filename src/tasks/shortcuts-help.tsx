// The `?` help: a dialog listing the keyboard shortcuts.
import {
  EuiBasicTable,
  EuiCode,
  EuiModal,
  EuiModalBody,
  EuiModalHeader,
  EuiModalHeaderTitle,
} from '@elastic/eui';
import { SHORTCUTS } from './keyboard-shortcuts';

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <EuiModal onClose={onClose} aria-labelledby="shortcutsTitle" data-test-subj="shortcutsHelp">
      <EuiModalHeader>
        <EuiModalHeaderTitle id="shortcutsTitle">Keyboard shortcuts</EuiModalHeaderTitle>
      </EuiModalHeader>
      <EuiModalBody>
        <EuiBasicTable
          tableCaption="Keyboard shortcuts"
          items={SHORTCUTS}
          columns={[
            { field: 'keys', name: 'Keys', render: (keys: string) => <EuiCode>{keys}</EuiCode> },
            { field: 'action', name: 'Action' },
          ]}
        />
      </EuiModalBody>
    </EuiModal>
  );
}
