import { Component, type ReactNode } from 'react';

/** Keeps one malformed message from breaking the whole talk. */
export class MessageBoundary extends Component<
  { altText?: string; children: ReactNode },
  { failed: boolean }
> {
  override state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  override render() {
    if (this.state.failed) {
      return (
        <div className="bubble unsupported">
          このメッセージを表示できません{this.props.altText ? `: ${this.props.altText}` : ''}
        </div>
      );
    }
    return this.props.children;
  }
}
