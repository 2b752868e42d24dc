// The `?` help: a dialog listing the keyboard shortcuts.
import {
  EuiBasicTable,
  EuiCode,
  EuiModal,
  EuiModalBody,
  EuiModalHeader,
  EuiModalHeaderTitle,
  EuiSpacer,
} from '@elastic/eui';
import { SHORTCUTS } from './keyboard-shortcuts';
import { QUERY_HELP } from '../../shared/task-query';

export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  return (
    <EuiModal onClose={onClose} aria-labelledby="shortcutsTitle" data-test-subj="shortcutsHelp">
      <EuiModalHeader>
        <EuiModalHeaderTitle id="shortcutsTitle">Keyboard shortcuts and the query bar</EuiModalHeaderTitle>
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
        <EuiSpacer />
        <EuiBasicTable
          tableCaption="What the query bar matches"
          items={QUERY_HELP}
          columns={[
            { field: 'example', name: 'Type', render: (text: string) => <EuiCode>{text}</EuiCode> },
            { field: 'matches', name: 'Finds' },
          ]}
          data-test-subj="queryHelp"
        />
      </EuiModalBody>
    </EuiModal>
  );
}
