package io.sqspii.dataset;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Plans and (unless dry) applies a definition in ONE transaction: the plan is made inside the transaction that
 * executes it, after a lock that serialises applies, so what is printed is what is done and two applies never
 * interleave. A refused or failing plan rolls back entirely.
 */
final class Apply {

    private Apply() {}

    static Plan run(Connection c, Definition d, boolean dryRun) throws SQLException, DefinitionException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("SET LOCAL standard_conforming_strings = on");
                s.execute("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('sqspii dataset apply'))");
            }
            Plan plan = Planner.plan(c, d);
            if (dryRun || plan.refused() || plan.empty()) {
                c.rollback();
                return plan;
            }
            try (Statement s = c.createStatement()) {
                for (String sql : plan.statements()) {
                    s.execute(sql);
                }
            }
            c.commit();
            return plan;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
