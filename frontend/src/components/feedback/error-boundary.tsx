// Catches a page that fails to render (or whose code chunk fails to load, e.g. after a
// new deploy) and offers a reload instead of a blank screen.
import { Component, type ErrorInfo, type ReactNode } from "react";

interface State {
  failed: boolean;
}

export class PageErrorBoundary extends Component<{ children: ReactNode; resetKey: string }, State> {
  state: State = { failed: false };

  static getDerivedStateFromError(): State {
    return { failed: true };
  }

  componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.failed) this.setState({ failed: false });
  }

  componentDidCatch(error: Error, info: ErrorInfo) {
    console.warn("page failed to render", error, info.componentStack);
  }

  render() {
    if (!this.state.failed) return this.props.children;
    return (
      <div role="alert" className="rounded-xl border border-red-300 bg-red-50 px-6 py-6 dark:border-red-800 dark:bg-red-950">
        <h1 className="text-xl font-semibold text-red-900 dark:text-red-100">This page could not be shown</h1>
        <p className="mt-1 text-red-900 dark:text-red-100">A newer version may be available. Reloading usually fixes it.</p>
        <button
          type="button"
          onClick={() => window.location.reload()}
          className="mt-4 rounded-lg bg-red-800 px-4 py-2.5 text-sm font-semibold text-white hover:bg-red-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-red-800"
        >
          Reload
        </button>
      </div>
    );
  }
}
