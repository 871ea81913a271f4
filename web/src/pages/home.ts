import type { User } from '../api/client';

export function homeFor(role: User['role']): string {
  switch (role) {
    case 'complainant':
      return '/cases';
    case 'officer':
      return '/queue';
    case 'compliance':
      return '/exports';
    case 'admin':
      return '/users';
  }
}
