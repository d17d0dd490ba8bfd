package dev.distlock.faults;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the figures table once every test has run (registered through
 * {@code META-INF/services}).
 *
 * @author Distributed Lock team
 */
public class FigureReport implements TestExecutionListener {

	@Override
	public void testPlanExecutionFinished(TestPlan testPlan) {
		if (!Figures.isEmpty()) {
			System.out.println();
			System.out.println(Figures.table());
			System.out.println("(also in " + Figures.file().toAbsolutePath() + ")");
		}
	}

}
