import { useSession } from '../../session';
import { GuidedFiling } from './filing/GuidedFiling';

export function FileComplaint() {
  const { user } = useSession();
  if (!user) return null;
  return <GuidedFiling basePath="/file" draftKey={user.id} onBehalf={null} />;
}
