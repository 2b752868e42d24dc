// One node id shown as its node's name, with the id on hover and for screen readers; a node that is not in the
// cluster shows its id and says so.
import { EuiScreenReaderOnly, EuiTextColor, EuiToolTip } from '@elastic/eui';
import { NOT_IN_CLUSTER, nodeLabel, type NodeNames } from './cluster-nodes';
import { useNodeNames } from './use-node-names';

export interface NodeNameProps {
  id: string;
}

export function NodeName({ id }: NodeNameProps) {
  return <NodeNameOf id={id} names={useNodeNames()} />;
}

/** The same, for a view that already holds the names (one subscription for many nodes). */
export function NodeNameOf({ id, names }: NodeNameProps & { names: NodeNames }) {
  const label = nodeLabel(names, id);
  return (
    <EuiToolTip content={label.hint}>
      {/* Focusable, so that keyboard users reach the tooltip too. */}
      <span tabIndex={0} data-test-subj="nodeName" data-node-id={id} style={{ whiteSpace: 'nowrap' }}>
        <span>{label.text}</span>
        {label.named && (
          <EuiScreenReaderOnly>
            <span> (node ID {id})</span>
          </EuiScreenReaderOnly>
        )}
        {label.inCluster === false && (
          <EuiTextColor color="warning" data-test-subj="nodeNotInCluster">
            {' '}
            ({NOT_IN_CLUSTER})
          </EuiTextColor>
        )}
      </span>
    </EuiToolTip>
  );
}
