-- One rule per user, pattern and scope, kept by the database: remembering a
-- pattern again updates its rule in one statement, even when two approvals
-- race. Duplicates such a race could leave keep their oldest rule.
DELETE FROM rules WHERE id NOT IN (
    SELECT MIN(id) FROM rules
    GROUP BY user_id, program, wrappers, flags, args, writes, scope
);
-- Its first two columns serve what rules_by_user did.
DROP INDEX rules_by_user;
CREATE UNIQUE INDEX rules_by_pattern
    ON rules (user_id, program, wrappers, flags, args, writes, scope);
