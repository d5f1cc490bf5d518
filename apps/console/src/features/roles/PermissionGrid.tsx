import type { Permission } from '../../api/types.ts';
import { Checkbox } from '../../components/Checkbox.tsx';

/** Checkboxes for every permission, one fieldset per `group`. */
export function PermissionGrid({
  permissions,
  selected,
  onChange,
}: {
  permissions: Permission[];
  selected: Set<string>;
  onChange: (next: Set<string>) => void;
}) {
  const groups = new Map<string, Permission[]>();
  for (const permission of permissions) {
    const list = groups.get(permission.group) ?? [];
    list.push(permission);
    groups.set(permission.group, list);
  }

  const toggle = (key: string, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(key);
    else next.delete(key);
    onChange(next);
  };

  return (
    <div className="grid grid-cols-2 gap-4">
      {[...groups].map(([group, items]) => (
        <fieldset key={group} className="rounded-8 border border-solid-gray-420 px-4 pt-2 pb-3">
          <legend className="px-1 text-std-16B-170">{group}</legend>
          {items.map((permission) => (
            <Checkbox
              key={permission.key}
              label={permission.label}
              checked={selected.has(permission.key)}
              onChange={(checked) => toggle(permission.key, checked)}
            />
          ))}
        </fieldset>
      ))}
    </div>
  );
}
